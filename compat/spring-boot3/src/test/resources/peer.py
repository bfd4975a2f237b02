"""An HTTP peer for the Spring tests, run in the test's namespace (under mptcpize for an MPTCP one).
serve DIR HOST PORT: serves DIR; prints READY when listening.
get URL: prints 'SHA256 <hex> <size>' of the body, or 'FAILED <why>' and exits 1.
"""
import functools, hashlib, http.server, sys, urllib.request

if sys.argv[1] == "serve":
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
    server = http.server.ThreadingHTTPServer((sys.argv[3], int(sys.argv[4])), handler)
    print("READY", flush=True)
    server.serve_forever()
else:
    try:
        body = urllib.request.urlopen(sys.argv[2], timeout=20).read()
        print("SHA256 %s %d" % (hashlib.sha256(body).hexdigest(), len(body)))
    except Exception as e:
        print("FAILED %s" % e)
        sys.exit(1)
