package io.loyalflow.platform.web;

import java.net.URI;

/** Stable problem type identifiers clients can switch on (documented in docs/api.md). */
public final class ProblemTypes {

    public static final URI INVALID_FIELDS = type("invalid-fields");
    public static final URI MALFORMED_REQUEST = type("malformed-request");
    public static final URI NOT_FOUND = type("not-found");
    public static final URI CONFLICT = type("conflict");
    public static final URI PRECONDITION_FAILED = type("precondition-failed");
    public static final URI PAYLOAD_TOO_LARGE = type("payload-too-large");
    public static final URI REQUEST_TIMEOUT = type("request-timeout");
    public static final URI UNSUPPORTED_MEDIA_TYPE = type("unsupported-media-type");
    public static final URI INTERNAL_ERROR = type("internal-error");
    public static final URI SIGNATURE_REFUSED = type("signature-refused");
    /** A provider the request needed (Meta's API) failed or refused; nothing was stored. */
    public static final URI PROVIDER_FAILED = type("provider-failed");
    /** The caller's groups do not allow this request with these values (e.g. analysts and personal data). */
    public static final URI FORBIDDEN = type("forbidden");

    private static URI type(String name) {
        return URI.create("urn:loyalflow:problem:" + name);
    }

    private ProblemTypes() {}
}
