"""A TCP proxy in front of the test PostgreSQL that can freeze: while frozen it accepts
connections and keeps every socket open but passes nothing on, as a server stopped with
SIGSTOP (its kernel still acknowledges, nothing answers)."""

import contextlib
import select
import socket
import threading
import time


class FrozenProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.running = threading.Event()  # set: passing bytes; clear: frozen
        self.running.set()
        self.stopped = threading.Event()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.running.clear()

    def thaw(self) -> None:
        self.running.set()

    def stop(self) -> None:
        self.stopped.set()
        self.running.set()
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        self.running.wait()  # a frozen postmaster answers no new connection either
        server = socket.create_connection(self.upstream)
        self.sockets += [client, server]
        pair = {client: server, server: client}
        while not self.stopped.is_set():
            if not self.running.is_set():
                time.sleep(0.05)
                continue
            try:
                ready, _, _ = select.select(list(pair), [], [], 0.05)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        raise OSError("closed")
                    pair[sock].sendall(data)
            except OSError:
                break
        for sock in pair:
            with contextlib.suppress(OSError):
                sock.close()
