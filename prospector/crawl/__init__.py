"""The Scrapy side: spiders, middlewares and pipelines for the crawl and check stages."""
