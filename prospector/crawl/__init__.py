"""The Scrapy side: the three spiders (prospect crawl, link check, own site) with their middlewares and pipelines."""
