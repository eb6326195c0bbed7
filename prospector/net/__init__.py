"""Name resolution (dnspython) and the address policy that keeps crawls off private networks."""
