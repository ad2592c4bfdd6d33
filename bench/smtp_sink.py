"""A mail server that accepts every message and keeps only how many it received: where the
e-mails of a benchmark's server go (EMAIL_HOST, EMAIL_PORT), so that Django's SMTP backend, the
one deployed, does its whole conversation as with a relay on the same machine."""

import contextlib
import socketserver
import threading


class _Conversation(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend (smtplib): EHLO, MAIL, RCPT, DATA, RSET, QUIT."""

    def handle(self):
        self._reply("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self._reply("354 end with <CRLF>.<CRLF>")
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    pass
                self.server.received()
                self._reply("250 queued")
            elif verb == b"QUIT":
                self._reply("221 bye")
                return
            elif verb == b"EHLO":
                self._reply("250-sink\r\n250 8BITMIME")
            else:
                self._reply("250 ok")

    def _reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Conversation)
        self.messages = 0
        self._lock = threading.Lock()

    def received(self):
        with self._lock:
            self.messages += 1


@contextlib.contextmanager
def smtp_sink():
    """A sink on a free port of 127.0.0.1 while the block runs; yields it (.server_address,
    .messages)."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
