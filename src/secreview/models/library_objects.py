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

LIBRARY_OBJECT_RESULTS: dict[str, dict[str, frozenset[int]]] = {
    "gridfs.GridFS": dict.fromkeys(_GRIDFS_READS, PATH_CWES),
    "gridfs.GridFSBucket": dict.fromkeys(_GRIDFS_BUCKET_READS, PATH_CWES),
    **{server: dict.fromkeys(_OAUTHLIB_RESPONSES, HTML_CWES) for server in _OAUTHLIB_SERVERS},
}
# The packages whose import makes such an object possible in a file (the cheap test first).
LIBRARY_OBJECT_PACKAGES = frozenset(name.split(".", 1)[0] for name in LIBRARY_OBJECT_RESULTS)
LIBRARY_OBJECT_METHODS = frozenset(method for methods in LIBRARY_OBJECT_RESULTS.values() for method in methods)
