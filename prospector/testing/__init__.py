"""Support for the tests and benchmarks, never imported by the library: the match-dev
evaluation harnesses (served through the fake web) and a redis-server started on loopback."""
