"""`python -m prospector.fakeweb`: serve the demo web or a generated one until interrupted.

Prints one JSON line with the nameserver and HTTP port, then serves. With --generate it can
write the prospect list and the truth (URL -> expected verdict) for benchmarks.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from prospector.fakeweb import FakeWeb
from prospector.fakeweb.archive import ARCHIVE_HOST
from prospector.fakeweb.demo import DEMO_PROSPECTS, OWN_SITE_HOST, demo_web
from prospector.fakeweb.generate import generate_web
from prospector.fakeweb.spec import fill_port


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m prospector.fakeweb", description=__doc__)
    parser.add_argument("--generate", metavar="SITESxPAGES", help="e.g. 100x20; default: the demo web")
    parser.add_argument("--links-per-page", type=int, default=4)
    parser.add_argument("--no-waiting", action="store_true", help="no slow or rate-limited URLs")
    parser.add_argument("--prospects-out", help="write the prospect URLs here, one per line")
    parser.add_argument("--truth-out", help="write {url: expected verdict} as JSON here")
    parser.add_argument("--http-port", type=int, default=0, help="default: any free port")
    parser.add_argument("--dns-port", type=int, default=0, help="default: any free port")
    args = parser.parse_args()
    if args.generate:
        sites, pages = (int(n) for n in args.generate.lower().split("x"))
        generated = generate_web(sites, pages, args.links_per_page, waiting=not args.no_waiting)
        spec, prospects, truth = generated.spec, generated.prospects, generated.truth
    else:
        spec, prospects, truth = demo_web(), list(DEMO_PROSPECTS), {}
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with FakeWeb(spec, http_port=args.http_port, dns_port=args.dns_port) as web:
        if args.prospects_out:
            with open(args.prospects_out, "w", encoding="utf-8") as f:
                f.writelines(web.url(host) + "\n" for host in prospects)
        if args.truth_out:
            with open(args.truth_out, "w", encoding="utf-8") as f:
                json.dump({fill_port(url, web.port): verdict for url, verdict in truth.items()}, f)
        print(json.dumps({"nameserver": web.nameserver, "port": web.port}), flush=True)
        if not args.generate:
            listed = args.prospects_out or "PROSPECTS (give --prospects-out FILE to have them written)"
            print(f"Serving the demo web on 127.0.0.1 until Ctrl-C. In another terminal, a campaign over it:\n"
                  f"  prospector run --prospects {listed} --sitemap {web.url(OWN_SITE_HOST)} \\\n"
                  f"    --nameserver {web.nameserver} --allow-private-networks --db offline.sqlite --out offline \\\n"
                  f"    --wayback-endpoint {web.url(ARCHIVE_HOST).rstrip('/')} --wayback-rate 600 \\\n"
                  f'    --sender-name "Alex Moreno" --sender-email alex@tallyfield.com', file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    sys.exit(0)


if __name__ == "__main__":
    main()
