# The failover run's two ends as a native (non-JVM) program: the reference that mptcp4j's stall is
# compared with. Plain TCP sockets; `mptcpize run` turns them into MPTCP, as it does for iperf3.
# Same contract as FailoverPeer.java: READY / connected / interval lines / SENT and RECEIVED lines.
import hashlib
import os
import socket
import sys
import time

SOL_MPTCP = 284
MPTCP_INFO = 1


def subflows(sock):
    # mptcp_info.mptcpi_subflows counts the subflows added to the first one
    try:
        return sock.getsockopt(SOL_MPTCP, MPTCP_INFO, 64)[0] + 1
    except OSError:
        return 0


def server(port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("", port))
    listener.listen(1)
    print("READY", port, flush=True)
    conn, _ = listener.accept()
    sha = hashlib.sha256()
    buf = bytearray(64 << 10)
    view = memoryview(buf)
    total = last = longest = 0
    while True:
        n = conn.recv_into(buf)
        if n == 0:
            break
        now = time.monotonic_ns()
        if last:
            longest = max(longest, now - last)
        last = now
        sha.update(view[:n])
        total += n
    print("RECEIVED %d %s %.1f" % (total, sha.hexdigest(), longest / 1e6), flush=True)


def client(host, port, seconds, interval):
    sock = socket.create_connection((host, port))
    print("[  5] connected to %s port %d (native, %d subflow(s))" % (host, port, subflows(sock)), flush=True)
    print("[ ID] Interval           Transfer     Bitrate         Subflows", flush=True)
    sha = hashlib.sha256()
    start = time.monotonic()
    end = start + seconds
    next_report = start + interval
    last_report = start
    total = last_total = 0
    while time.monotonic() < end:
        chunk = os.urandom(64 << 10)
        sha.update(chunk)
        sock.sendall(chunk)
        total += len(chunk)
        now = time.monotonic()
        if now >= next_report:
            moved = total - last_total
            print("[  5] %6.2f-%-6.2f sec  %9.1f MBytes  %10.1f Mbits/sec  %d" % (
                last_report - start, now - start, moved / 1048576, moved * 8 / (now - last_report) / 1e6,
                subflows(sock)), flush=True)
            last_total = total
            last_report = now
            next_report += interval
    sock.shutdown(socket.SHUT_WR)
    print("SENT %d %s" % (total, sha.hexdigest()), flush=True)
    sock.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]))
    else:
        client(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
