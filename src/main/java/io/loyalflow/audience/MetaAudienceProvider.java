package io.loyalflow.audience;

import com.facebook.ads.sdk.APIContext;
import com.facebook.ads.sdk.APIException;
import com.facebook.ads.sdk.APIRequest;
import com.facebook.ads.sdk.APIResponse;
import com.facebook.ads.sdk.AdAccount;
import com.facebook.ads.sdk.CustomAudience;
import com.facebook.ads.sdk.CustomAudienceStatus;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Syncs customers to Meta Custom Audiences through the Marketing API SDK, which builds the requests and
 * reads the answers; {@link MetaRequestExecutor} carries them. Every record is multi-key (e-mail and phone
 * hash, either may be empty). Failures become {@link AudienceProviderUnavailableException} (try again
 * later) or {@link AudienceRequestRejectedException} (will not work as it is); neither names the token.
 */
final class MetaAudienceProvider implements AudienceProvider {

    static final List<String> SCHEMA = List.of("EMAIL_SHA256", "PHONE_SHA256");

    /** Meta's rate limits and throttles: the API is fine, the caller must slow down. */
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613, 80003);

    private static final Pattern AUDIENCE_ID = Pattern.compile("[0-9]{1,30}");
    private static final int MAX_NAME = 255;
    private static final int MAX_DESCRIPTION = 1000;
    private static final int MAX_META_MESSAGE = 300;

    private final APIContext context;
    private final String adAccountId;
    private final List<String> secrets;

    MetaAudienceProvider(AudienceProperties.Meta settings) {
        if (settings.accessToken() == null || settings.adAccountId() == null) {
            throw new IllegalArgumentException("the Meta audience provider needs loyalflow.audiences.meta.access-token "
                    + "and loyalflow.audiences.meta.ad-account");
        }
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        this.context = new APIContext(
                        base, base, settings.apiVersion(), settings.accessToken(), settings.appSecret(), null, false)
                // The SDK's debug log prints every request, token included.
                .enableDebug(false)
                .setLogger(null);
        this.adAccountId = settings.adAccountId();
        List<String> secrets = new ArrayList<>();
        secrets.add(settings.accessToken());
        if (settings.appSecret() != null) {
            secrets.add(settings.appSecret());
            secrets.add(context.getAppSecretProof());
        }
        this.secrets = List.copyOf(secrets);
        // The SDK holds one executor for all its requests; this application has no other use of it.
        APIRequest.changeRequestExecutor(new MetaRequestExecutor(settings.connectTimeout(), settings.readTimeout()));
    }

    @Override
    public String name() {
        return AudienceProperties.META;
    }

    @Override
    public UploadResult add(String metaAudienceId, List<HashedMember> members) {
        requireAudienceId(metaAudienceId);
        AudienceProvider.requireBatch(members);
        return counts(
                metaAudienceId,
                "add",
                call(
                        "audience " + metaAudienceId,
                        "add",
                        () -> new CustomAudience.APIRequestCreateUser(metaAudienceId, context)
                                .setPayload(payload(members))
                                .execute()));
    }

    @Override
    public UploadResult remove(String metaAudienceId, List<HashedMember> members) {
        requireAudienceId(metaAudienceId);
        AudienceProvider.requireBatch(members);
        return counts(
                metaAudienceId,
                "remove",
                call(
                        "audience " + metaAudienceId,
                        "remove",
                        () -> new CustomAudience.APIRequestDeleteUsers(metaAudienceId, context)
                                .setPayload(payload(members))
                                .execute()));
    }

    @Override
    public UploadResult replace(String metaAudienceId, ReplaceBatch batch, List<HashedMember> members) {
        requireAudienceId(metaAudienceId);
        AudienceProvider.requireBatch(members);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("session_id", batch.sessionId());
        session.put("batch_seq", batch.batchSeq());
        session.put("last_batch_flag", batch.lastBatch());
        session.put("estimated_num_total", batch.estimatedTotal());
        return counts(
                metaAudienceId,
                "replace",
                call(
                        "audience " + metaAudienceId,
                        "replace",
                        () -> new CustomAudience.APIRequestCreateUsersReplace(metaAudienceId, context)
                                .setSession(session)
                                .setPayload(payload(members))
                                .execute()));
    }

    @Override
    public AudienceHealth health(String metaAudienceId) {
        requireAudienceId(metaAudienceId);
        CustomAudience audience = call(
                "audience " + metaAudienceId,
                "health check",
                () -> new CustomAudience.APIRequestGet(metaAudienceId, context)
                        .requestField("operation_status")
                        .execute());
        CustomAudienceStatus status = audience == null ? null : audience.getFieldOperationStatus();
        if (status == null || status.getFieldCode() == null) {
            throw new AudienceProviderUnavailableException(
                    "Meta audience " + metaAudienceId + ": health check answered without an operation status");
        }
        return new AudienceHealth(Math.toIntExact(status.getFieldCode()), status.getFieldDescription());
    }

    @Override
    public String create(String name, String description) {
        requireName(name);
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException(
                    "an audience description has at most " + MAX_DESCRIPTION + " characters");
        }
        String what = "ad account " + adAccountId;
        CustomAudience created = call(what, "create audience", () -> {
            AdAccount.APIRequestCreateCustomAudience request = new AdAccount(adAccountId, context)
                    .createCustomAudience()
                    .setName(name.strip())
                    .setSubtype(CustomAudience.EnumSubtype.VALUE_CUSTOM)
                    .setCustomerFileSource(CustomAudience.EnumCustomerFileSource.VALUE_USER_PROVIDED_ONLY);
            if (description != null && !description.isBlank()) {
                request.setDescription(description.strip());
            }
            return request.execute();
        });
        String id = created == null ? null : created.getId();
        if (id == null || !AUDIENCE_ID.matcher(id).matches()) {
            throw new AudienceProviderUnavailableException(
                    "Meta " + what + ": create audience answered without an audience id");
        }
        return id;
    }

    static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an audience needs a name");
        }
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("an audience name has at most " + MAX_NAME + " characters");
        }
    }

    // The id becomes part of the request path: anything but digits could point the call elsewhere.
    private static void requireAudienceId(String metaAudienceId) {
        if (metaAudienceId == null || !AUDIENCE_ID.matcher(metaAudienceId).matches()) {
            throw new IllegalArgumentException("a Meta audience id is digits only");
        }
    }

    /** {"schema":[...],"data":[[email hash or "", phone hash or ""],...]}, as the SDK's setPayload sends it. */
    private static Map<String, Object> payload(List<HashedMember> members) {
        List<List<String>> data = new ArrayList<>(members.size());
        for (HashedMember member : members) {
            data.add(List.of(orEmpty(member.emailSha256()), orEmpty(member.phoneSha256())));
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("schema", SCHEMA);
        payload.put("data", data);
        return payload;
    }

    private static String orEmpty(String hash) {
        return hash == null ? "" : hash;
    }

    private UploadResult counts(String metaAudienceId, String operation, APIResponse response) {
        JsonObject answer = response == null ? null : response.getRawResponseAsJsonObject();
        JsonElement received = answer == null ? null : answer.get("num_received");
        if (received == null || !received.isJsonPrimitive()) {
            throw new AudienceProviderUnavailableException(
                    "Meta audience " + metaAudienceId + ": " + operation + " answered without num_received");
        }
        JsonElement invalid = answer.get("num_invalid_entries");
        return new UploadResult(
                received.getAsInt(), invalid != null && invalid.isJsonPrimitive() ? invalid.getAsInt() : 0);
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws APIException;
    }

    /** {@code what}: "audience 123" or "ad account act_1", as messages name it. */
    private <T> T call(String what, String operation, Call<T> call) {
        try {
            return call.run();
        } catch (MetaRequestExecutor.HttpFailure e) {
            throw classify(what, operation, e);
        } catch (APIException.MalformedResponseException e) {
            throw new AudienceProviderUnavailableException(
                    "Meta " + what + ": " + operation + " answered with something that is not the Graph API's JSON");
        } catch (APIException e) {
            // The SDK wraps what the transport threw (timeout, refused connection, reset) into its own exception.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AudienceProviderUnavailableException(scrub("Meta " + what + ": " + operation + " got no answer ("
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + ")"));
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new AudienceProviderUnavailableException(scrub("Meta " + what + ": " + operation
                    + " failed in the SDK: " + e.getClass().getSimpleName()));
        }
    }

    private RuntimeException classify(String what, String operation, MetaRequestExecutor.HttpFailure e) {
        int status = e.status();
        Integer code = null;
        Integer subcode = null;
        String metaMessage = null;
        try {
            JsonObject error =
                    JsonParser.parseString(e.getMessage()).getAsJsonObject().getAsJsonObject("error");
            if (error != null) {
                code = intOrNull(error.get("code"));
                subcode = intOrNull(error.get("error_subcode"));
                metaMessage = error.has("message") ? error.get("message").getAsString() : null;
            }
        } catch (RuntimeException notJson) {
            // A proxy's or load balancer's page: the HTTP status is all there is.
        }
        StringBuilder message = new StringBuilder("Meta ")
                .append(what)
                .append(": ")
                .append(operation)
                .append(" failed with HTTP ")
                .append(status);
        if (code != null) {
            message.append(", Meta error ").append(code);
            if (subcode != null) {
                message.append(" (subcode ").append(subcode).append(')');
            }
        }
        if (metaMessage != null && !metaMessage.isBlank()) {
            message.append(": ").append(abbreviate(metaMessage));
        }
        String text = scrub(message.toString());
        boolean later = status >= 500 || status == 429 || (code != null && RATE_LIMIT_CODES.contains(code));
        return later ? new AudienceProviderUnavailableException(text) : new AudienceRequestRejectedException(text);
    }

    private static Integer intOrNull(JsonElement element) {
        try {
            return element == null || !element.isJsonPrimitive() ? null : element.getAsInt();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_META_MESSAGE ? flat : flat.substring(0, MAX_META_MESSAGE) + "…";
    }

    // Meta's message or a transport's may quote what it was sent; the token must not travel on in ours.
    private String scrub(String text) {
        String scrubbed = text;
        for (String secret : secrets) {
            scrubbed = scrubbed.replace(secret, "***");
        }
        return scrubbed;
    }
}
