"""A small QMP client for the e2e tests (tests/e2e/qmp.sh): json and socket only."""
import json
import socket
import time


class QMP:
    def __init__(self, addr, negotiate=True, timeout=10):
        if addr.startswith("unix:"):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target = addr[5:]
        else:
            host, port = addr[4:].rsplit(":", 1)
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            target = (host, int(port))
        self.sock.settimeout(timeout)
        self.sock.connect(target)
        self.buf = b""
        self.events = []
        self.greeting = self.read()
        if negotiate:
            assert self.cmd("qmp_capabilities") == {"return": {}}

    def read(self):
        """The next JSON line, or None when the server closed."""
        while b"\n" not in self.buf:
            try:
                d = self.sock.recv(65536)
            except ConnectionResetError:  # closed with our bytes unread
                return None
            if not d:
                return None
            self.buf += d
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def send_raw(self, data):
        self.sock.sendall(data)

    def cmd(self, name, args=None, id=None):
        """Send a command; its answer (events on the way are kept in self.events)."""
        req = {"execute": name}
        if args is not None:
            req["arguments"] = args
        if id is not None:
            req["id"] = id
        self.send_raw(json.dumps(req).encode() + b"\n")
        return self.answer()

    def answer(self):
        while True:
            m = self.read()
            if m is None or "event" not in m:
                return m
            self.events.append(m)

    def event(self, name, timeout=10, **data):
        """Wait for event name whose data has these fields."""
        end = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e["event"] == name and all(e["data"].get(k) == v for k, v in data.items()):
                    return self.events.pop(i)
            if time.time() > end:
                raise AssertionError("no %s event %r; got %r" % (name, data, self.events))
            self.sock.settimeout(max(0.1, end - time.time()))
            m = self.read()
            if m is None:
                raise AssertionError("closed while waiting for %s; got %r" % (name, self.events))
            self.events.append(m)

    def close(self):
        self.sock.close()
