"""Results of library objects' methods that are not the data handed to them.

The data flow lets an unknown call's result carry what its receiver and arguments carry: a
conservative default that is wrong for a few well-known library objects whose methods give a
value of another nature. Each row: the class (as constructed in the reviewed file:
``fs = gridfs.GridFS(db)``) -> method -> the weaknesses (CWEs) the result is safe for, whatever
went in.

- GridFS (pymongo): ``fs.get(file_id)``, ``bucket.open_download_stream(file_id)``... give a
  GridOut, a file object read from the database, never a file system path (``send_file(grid_out)``
  sends its contents): safe for path traversal. (Its contents are stored data, not the request's:
  that is not modelled either way.)
- oauthlib's servers and endpoints: ``create_token_response(uri, method, body, headers)`` and the
  other ``create_*_response`` methods give ``(headers, body, status)`` where the body is the JSON
  document oauthlib writes (tokens, or an error object) and the headers say application/json:
  safe for HTML (an app copying them into ``HttpResponse(body)`` returns JSON). The request's
  redirect URI and state may reach the Location header, checked by the validator. Not here:
  ``validate_authorization_request`` / ``verify_request``, whose results hold the request's own
  values (redirect_uri, state, scopes).
- Signed payloads: itsdangerous' serializers ``loads()`` and signers ``unsign()``, Django's
  ``Signer``/``TimestampSigner`` ``unsign()``/``unsign_object()``, check the signature with the
  server's key and raise BadSignature otherwise: what they return is what the server itself
  signed earlier (a remember-me cookie's user id), no value a client chose, so keeping it in the
  session crosses no trust boundary (CWE-501). Still the request's data for the other weaknesses:
  the server may have signed a value a client once gave it. Not ``loads_unsafe()``, which returns
  the payload whatever the signature.
"""
from __future__ import annotations

PATH_CWES = frozenset({22, 23, 36})
HTML_CWES = frozenset({79, 80})

_GRIDFS_READS = frozenset({"get", "get_version", "get_last_version", "find_one"})
_GRIDFS_BUCKET_READS = frozenset({"open_download_stream", "open_download_stream_by_name"})
_OAUTHLIB_RESPONSES = frozenset({
    "create_token_response", "create_authorization_response", "create_revocation_response",
    "create_introspect_response", "create_userinfo_response", "create_metadata_response",
    "create_device_authorization_response", "create_request_token_response", "create_access_token_response",
})
_OAUTHLIB_SERVERS = (
    *(f"oauthlib.oauth2.{name}" for name in (
        "Server", "WebApplicationServer", "MobileApplicationServer", "LegacyApplicationServer",
        "BackendApplicationServer", "TokenEndpoint", "AuthorizationEndpoint", "RevocationEndpoint",
        "IntrospectEndpoint", "MetadataEndpoint", "DeviceAuthorizationEndpoint")),
    "oauthlib.openid.Server", "oauthlib.openid.UserInfoEndpoint",
    *(f"oauthlib.oauth1.{name}" for name in (
        "WebApplicationServer", "RequestTokenEndpoint", "AccessTokenEndpoint", "AuthorizationEndpoint")),
)

TRUST_BOUNDARY_CWES = frozenset({501})
_ITSDANGEROUS_SERIALIZERS = (
    *(f"itsdangerous.{name}" for name in ("Serializer", "URLSafeSerializer", "TimedSerializer", "URLSafeTimedSerializer")),
    "itsdangerous.serializer.Serializer", "itsdangerous.url_safe.URLSafeSerializer",
    "itsdangerous.url_safe.URLSafeTimedSerializer", "itsdangerous.timed.TimedSerializer",
)
_SIGNERS = (
    "itsdangerous.Signer", "itsdangerous.TimestampSigner", "itsdangerous.signer.Signer", "itsdangerous.timed.TimestampSigner",
    "django.core.signing.Signer", "django.core.signing.TimestampSigner",
)

LIBRARY_OBJECT_RESULTS: dict[str, dict[str, frozenset[int]]] = {
    "gridfs.GridFS": dict.fromkeys(_GRIDFS_READS, PATH_CWES),
    "gridfs.GridFSBucket": dict.fromkeys(_GRIDFS_BUCKET_READS, PATH_CWES),
    **{server: dict.fromkeys(_OAUTHLIB_RESPONSES, HTML_CWES) for server in _OAUTHLIB_SERVERS},
    **{serializer: {"loads": TRUST_BOUNDARY_CWES} for serializer in _ITSDANGEROUS_SERIALIZERS},
    **{signer: dict.fromkeys(("unsign", "unsign_object"), TRUST_BOUNDARY_CWES) for signer in _SIGNERS},
}
# Each method -> the packages whose import makes an object with it possible in a file (the cheap
# test first: ``.get()`` is GridFS's only in a file importing gridfs, not in every Django file).
LIBRARY_OBJECT_METHODS: dict[str, frozenset[str]] = {}
for _class, _methods in LIBRARY_OBJECT_RESULTS.items():
    for _method in _methods:
        LIBRARY_OBJECT_METHODS[_method] = LIBRARY_OBJECT_METHODS.get(_method, frozenset()) | {_class.split(".", 1)[0]}
