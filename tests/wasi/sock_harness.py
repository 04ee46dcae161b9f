#!/usr/bin/env python3
"""Run WARD run sock.wasm MODE with a socket as its stdin and be the peer.

    sock_harness.py WARD SOCK_WASM pair|listen|tcplisten
    sock_harness.py WARD BLOCK_WASM peerclosed

Prints ward's stdout, then "peer: ok" when the guest echoed correctly;
exits with ward's status, or 3 when the peer saw something wrong.
peerclosed: block.wasm sendflood writes to a --tcplisten connection this
peer closed at once; the guest must get EPIPE (ward's status 0), not die
of SIGPIPE (status -13)."""
import socket
import subprocess
import sys
import time

ward, wasm, mode = sys.argv[1:4]


def converse(conn):
    conn.sendall(b"ping")
    data = b""
    while True:
        chunk = conn.recv(64)
        if not chunk:
            break
        data += chunk
    conn.shutdown(socket.SHUT_WR)   # the guest then reads its end of stream
    return data == b"echo:ping"


if mode == "pair":
    mine, theirs = socket.socketpair()
    proc = subprocess.Popen([ward, "run", wasm, mode], stdin=theirs, stdout=subprocess.PIPE)
    theirs.close()
    ok = converse(mine)
elif mode in ("tcplisten", "peerclosed"):
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    guest_mode = "sendflood" if mode == "peerclosed" else mode
    proc = subprocess.Popen([ward, "run", "--tcplisten", "127.0.0.1:%d" % port, wasm, guest_mode],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    for attempt in range(300):   # ward listens once it has started
        try:
            client = socket.create_connection(("127.0.0.1", port), timeout=30)
            break
        except ConnectionRefusedError:
            time.sleep(0.02)
    else:
        proc.kill()
        sys.exit("no listener on port %d" % port)
    if mode == "peerclosed":
        client.close()
        out, _ = proc.communicate(timeout=30)
        print("ward exited with %d" % proc.returncode)
        print("peer: ok" if proc.returncode == 0 else "peer: ward did not see EPIPE")
        sys.exit(proc.returncode if proc.returncode >= 0 else 128 - proc.returncode)
    ok = converse(client)
else:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    proc = subprocess.Popen([ward, "run", wasm, mode], stdin=server, stdout=subprocess.PIPE)
    client = socket.create_connection(server.getsockname(), timeout=30)
    server.close()
    ok = converse(client)
out, _ = proc.communicate(timeout=30)
sys.stdout.write(out.decode())
print("peer: ok" if ok else "peer: wrong reply")
sys.exit(proc.returncode if ok else 3)
