"""Google's push endpoints, answered on 127.0.0.1.

firebase-admin runs unchanged: the real message encoder, the real google-auth service-account
flow (a locally generated key, its signed JWT exchanged for an access token) and the real
requests/urllib3/TLS stack. Only the other end is local: HTTPS_PROXY points at a proxy on
127.0.0.1 that accepts CONNECT for fcm.googleapis.com and oauth2.googleapis.com, terminates TLS
with a certificate from a throw-away CA (trusted through REQUESTS_CA_BUNDLE) and answers like
FCM HTTP v1 and the OAuth token endpoint do. Every request is recorded for assertions.
"""

import base64
import datetime as dt
import json
import ssl
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PROJECT_ID = "buurtsignaal-test"
CLIENT_EMAIL = f"push-sender@{PROJECT_ID}.iam.gserviceaccount.com"
ACCESS_TOKEN = "ya29.local-test-access-token"
FCM_HOST = "fcm.googleapis.com"
OAUTH_HOST = "oauth2.googleapis.com"
SEND_PATH = f"/v1/projects/{PROJECT_ID}/messages:send"

Answer = tuple[int, dict[str, Any], dict[str, str]]

_FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
# (HTTP status, google.rpc status, message) as FCM HTTP v1 answers them.
_FCM_ERRORS = {
    "UNREGISTERED": (404, "NOT_FOUND", "Requested entity was not found."),
    "SENDER_ID_MISMATCH": (403, "PERMISSION_DENIED", "SenderId mismatch"),
    "INVALID_ARGUMENT": (
        400,
        "INVALID_ARGUMENT",
        "The registration token is not a valid FCM registration token",
    ),
    "QUOTA_EXCEEDED": (
        429,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded for quota metric 'Send requests' of service fcm.googleapis.com.",
    ),
    "UNAVAILABLE": (503, "UNAVAILABLE", "The service is currently unavailable."),
    "INTERNAL": (500, "INTERNAL", "Internal error encountered."),
    "THIRD_PARTY_AUTH_ERROR": (401, "UNAUTHENTICATED", "Auth error from APNS or Web Push Service"),
}


def fcm_error(code: str, *, retry_after: str | None = None) -> Answer:
    """The error body FCM sends for an FcmError code."""
    status, rpc_status, message = _FCM_ERRORS[code]
    details: list[dict[str, Any]] = [{"@type": _FCM_ERROR, "errorCode": code}]
    if code == "INVALID_ARGUMENT":
        details.append(
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    {"field": "message.token", "description": "Invalid registration token"}
                ],
            }
        )
    body = {"error": {"code": status, "message": message, "status": rpc_status, "details": details}}
    return status, body, ({"Retry-After": retry_after} if retry_after else {})


def invalid_payload_error() -> Answer:
    """INVALID_ARGUMENT about the message itself, not the token: our bug, not the device's."""
    body = {
        "error": {
            "code": 400,
            "message": "Invalid value at 'message.data[0].value' (TYPE_STRING), 12",
            "status": "INVALID_ARGUMENT",
            "details": [
                {"@type": _FCM_ERROR, "errorCode": "INVALID_ARGUMENT"},
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": "message.data[0].value"}],
                },
            ],
        }
    }
    return 400, body, {}


def permission_denied_error() -> Answer:
    """The service account may not send for this project (IAM), no FcmError detail."""
    body = {
        "error": {
            "code": 403,
            "message": f"Permission 'cloudmessaging.messages.create' denied on resource "
            f"'//cloudresourcemanager.googleapis.com/projects/{PROJECT_ID}' (or it may not exist).",
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "IAM_PERMISSION_DENIED",
                    "domain": "cloudresourcemanager.googleapis.com",
                }
            ],
        }
    }
    return 403, body, {}


def token_endpoint_invalid_grant() -> Answer:
    return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, {}


@dataclass
class Recorded:
    host: str
    method: str
    path: str
    headers: dict[str, str]
    raw_body: bytes

    def json(self) -> Any:
        return json.loads(self.raw_body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.raw_body.decode()))


@dataclass
class FakeGoogle:
    """Scripted answers per device address (token or FID); the last scripted answer repeats.
    An address without a script gets a success."""

    requests: list[Recorded] = field(default_factory=list)
    _fcm: dict[str, list[Answer]] = field(default_factory=dict)
    _token: list[Answer] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _sent: int = 0
    # Called with each push before it is answered (on the proxy's thread, outside the lock, so
    # it may push again itself): what the database looks like while a push is on its way.
    before_answer: Callable[[Recorded], None] | None = None

    def answer(self, address: str, *answers: Answer) -> None:
        """Script the answers for one registration token or installation id."""
        self._fcm[address] = list(answers)

    def answer_token_endpoint(self, *answers: Answer) -> None:
        self._token = list(answers)

    @property
    def sends(self) -> list[Recorded]:
        return [r for r in self.requests if r.host == FCM_HOST]

    @property
    def token_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.host == OAUTH_HOST]

    def respond(self, request: Recorded) -> Answer:
        hook = self.before_answer
        if hook is not None and request.host == FCM_HOST:
            hook(request)
        with self._lock:
            self.requests.append(request)
            if request.host == OAUTH_HOST and request.path == "/token":
                script = self._token
                default: Answer = (
                    200,
                    {"access_token": ACCESS_TOKEN, "expires_in": 3600, "token_type": "Bearer"},
                    {},
                )
            elif request.host == FCM_HOST and request.path == SEND_PATH:
                message = request.json()["message"]
                token = message.get("token") or message.get("fid", "")
                script = self._fcm.get(token, [])
                self._sent += 1
                default = (200, {"name": f"projects/{PROJECT_ID}/messages/0:{self._sent}"}, {})
            else:
                return 404, {"error": {"code": 404, "status": "NOT_FOUND"}}, {}
            if not script:
                return default
            return script.pop(0) if len(script) > 1 else script[0]


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_ProxyServer"
    tunnel_host = ""

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_CONNECT(self) -> None:
        host = self.path.rsplit(":", 1)[0]
        if host not in (FCM_HOST, OAUTH_HOST):
            self.send_error(403, "only Google push endpoints are answered here")
            return
        self.send_response(200, "Connection Established")
        self.end_headers()
        self.wfile.flush()
        tls = self.server.tls.wrap_socket(self.connection, server_side=True)
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.tunnel_host = host
        self.close_connection = False

    def do_POST(self) -> None:
        if not self.tunnel_host:
            self.send_error(400, "plain HTTP is not answered")
            return
        length = int(self.headers.get("Content-Length", 0))
        request = Recorded(
            host=self.tunnel_host,
            method="POST",
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            raw_body=self.rfile.read(length),
        )
        status, body, headers = self.server.fake.respond(request)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeGoogle, tls: ssl.SSLContext):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.fake = fake
        self.tls = tls

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that drops a kept-alive tunnel is not an error here


@dataclass
class LocalGoogle:
    fake: FakeGoogle
    proxy_url: str
    ca_file: Path
    credentials_file: Path
    private_key: rsa.RSAPrivateKey
    _server: _ProxyServer

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    # Fixed, wide validity: tests travel in time, OpenSSL checks against the real clock.
    valid_from = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    valid_until = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Buurtsignaal test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, FCM_HOST)]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_until)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(FCM_HOST), x509.DNSName(OAUTH_HOST)]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


def _service_account(folder: Path) -> tuple[Path, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    path = folder / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT_ID,
                "private_key_id": "local-test-key",
                "private_key": pem,
                "client_email": CLIENT_EMAIL,
                "client_id": "100000000000000000001",
                "token_uri": f"https://{OAUTH_HOST}/token",
            }
        )
    )
    return path, key


def start(folder: Path, fake: FakeGoogle | None = None) -> LocalGoogle:
    """Starts the proxy answering as Google; `fake` (default a new FakeGoogle) decides the
    answers."""
    ca_file, cert_file, key_file = _certificates(folder)
    credentials_file, private_key = _service_account(folder)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    fake = fake if fake is not None else FakeGoogle()
    server = _ProxyServer(fake, tls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return LocalGoogle(
        fake=fake,
        proxy_url=f"http://{host}:{port}",
        ca_file=ca_file,
        credentials_file=credentials_file,
        private_key=private_key,
        _server=server,
    )


def jwt_claims(assertion: str) -> dict[str, Any]:
    """The claims of the JWT the client signed for the token exchange (signature checked by
    the caller when it matters)."""
    payload = assertion.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
