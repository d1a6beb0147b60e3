package io.contentplane.integration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.contentplane.domain.delivery.Delivery;
import io.contentplane.domain.integration.Distributor;
import io.contentplane.domain.integration.WebhookMeta;
import io.contentplane.domain.webhook.WebhookTargetGuard;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.contentplane.integration.AuthBodies.NON_EMPTY_STRING;

/**
 * Bodies of {@code /api/v1/integration/distributors} (seeds 000/001). The webhook's {@code meta}
 * and its {@code authentication} keep which fields were sent, a {@code null} included: on update a
 * field left out keeps its value and {@code null} removes ({@link DistributorRequests} merges).
 */
final class DistributorBodies {
    static final int MAX_HOST = 2048;
    static final int MAX_PATH = 2048;
    static final int MAX_CREDENTIAL = 1024;
    static final int MAX_TOKEN = 4096;
    static final String METHODS = "must be 1 (GET), 2 (POST), 3 (PUT), 4 (PATCH) or 5 (DELETE)";
    static final String AUTH_TYPES = "must be 1 (Basic) or 2 (Token)";

    private DistributorBodies() {
    }

    /** {@code POST /distributors/nodes/{node_id}}: no meta (or null), no webhook. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Create(@Nullable @Valid Meta meta) {
        static final Create NONE = new Create(null);
    }

    /** {@code PUT /distributors/{id}}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    static final class Update {
        @JsonIgnore
        private final Set<String> given = new HashSet<>();
        @Nullable
        @Valid
        private Meta meta;

        boolean given(String field) {
            return given.contains(field);
        }

        @Nullable
        public Meta getMeta() {
            return meta;
        }

        public void setMeta(@Nullable Meta meta) {
            this.meta = meta;
            given.add("meta");
        }
    }

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    static final class Meta {
        @JsonIgnore
        private final Set<String> given = new HashSet<>();
        @Nullable
        @Size(min = 1, message = NON_EMPTY_STRING)
        @Size(max = MAX_HOST, message = "must be at most " + MAX_HOST + " characters")
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        @Schema(pattern = WebhookTargetGuard.PUBLIC_HTTPS_NAME, description = "https://host[:port] of a public host"
                + " (checked by WebhookTargetGuard; public IP literals are accepted too, names resolving to internal addresses refused)")
        private String host;
        @Nullable
        @Size(min = 1, message = NON_EMPTY_STRING)
        @Size(max = MAX_PATH, message = "must be at most " + MAX_PATH + " characters")
        @Pattern(regexp = "^/[^\\x00-\\x20\\x7F]*(?![\\s\\S])", message = "must start with '/' and contain no spaces or control characters")
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        private String path;
        @Nullable
        @Min(value = 1, message = METHODS)
        @Max(value = 5, message = METHODS)
        @Serdeable.Deserializable(using = StrictJson.WholeNumber.class)
        private Integer method;
        @Nullable
        @Valid
        private Authentication authentication;

        boolean given(String field) {
            return given.contains(field);
        }

        @Nullable
        public String getHost() {
            return host;
        }

        public void setHost(@Nullable String host) {
            this.host = host;
            given.add("host");
        }

        @Nullable
        public String getPath() {
            return path;
        }

        public void setPath(@Nullable String path) {
            this.path = path;
            given.add("path");
        }

        @Nullable
        public Integer getMethod() {
            return method;
        }

        public void setMethod(@Nullable Integer method) {
            this.method = method;
            given.add("method");
        }

        @Nullable
        public Authentication getAuthentication() {
            return authentication;
        }

        public void setAuthentication(@Nullable Authentication authentication) {
            this.authentication = authentication;
            given.add("authentication");
        }
    }

    /** Type 1 Basic ({@code username}, {@code password}) or 2 Token ({@code token}); replaced as a whole. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    static final class Authentication {
        @JsonIgnore
        private final Set<String> given = new HashSet<>();
        @NotNull(message = AUTH_TYPES)
        @Min(value = 1, message = AUTH_TYPES)
        @Max(value = 2, message = AUTH_TYPES)
        @Serdeable.Deserializable(using = StrictJson.WholeNumber.class)
        private Integer type;
        @Nullable
        @Size(min = 1, message = NON_EMPTY_STRING)
        @Size(max = MAX_CREDENTIAL, message = "must be at most " + MAX_CREDENTIAL + " characters")
        @Pattern(regexp = "^[^:]*(?![\\s\\S])", message = "must not contain ':' (Basic authentication)")
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        private String username;
        @Nullable
        @Size(min = 1, message = NON_EMPTY_STRING)
        @Size(max = MAX_CREDENTIAL, message = "must be at most " + MAX_CREDENTIAL + " characters")
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        private String password;
        @Nullable
        @Size(min = 1, message = NON_EMPTY_STRING)
        @Size(max = MAX_TOKEN, message = "must be at most " + MAX_TOKEN + " characters")
        @Serdeable.Deserializable(using = StrictJson.Text.class)
        private String token;

        boolean given(String field) {
            return given.contains(field);
        }

        @Nullable
        public Integer getType() {
            return type;
        }

        public void setType(@Nullable Integer type) {
            this.type = type;
            given.add("type");
        }

        @Nullable
        public String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
            given.add("username");
        }

        @Nullable
        public String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
            given.add("password");
        }

        @Nullable
        public String getToken() {
            return token;
        }

        public void setToken(@Nullable String token) {
            this.token = token;
            given.add("token");
        }
    }

    /** A distributor as answered: the method by name, the credentials echoed (seed 000). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(String id, @JsonProperty("node_id") String nodeId, @Nullable MetaView meta,
                @JsonProperty("created_at") String createdAt, @JsonProperty("updated_at") String updatedAt) {

        static View of(Distributor d) {
            return new View(d.id(), d.nodeId(), d.meta() == null ? null : MetaView.of(d.meta()),
                    time(d.createdAt()), time(d.updatedAt()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MetaView(String host, String path, String method, @Nullable AuthenticationView authentication) {
        static MetaView of(WebhookMeta meta) {
            WebhookMeta.Authentication a = meta.authentication();
            return new MetaView(meta.host(), meta.path(), meta.methodName(), a == null ? null
                    : a.type() == WebhookMeta.Authentication.BASIC ? new AuthenticationView(a.type(), a.username(), a.password(), null)
                    : new AuthenticationView(a.type(), null, null, a.token()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuthenticationView(int type, @Nullable String username, @Nullable String password, @Nullable String token) {
    }

    /** {@code GET /distributors/nodes/{node_id}}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Page(List<View> distributors, long total, int page, @JsonProperty("per_page") int perPage) {
    }

    /** The signing secret of a distributor's deliveries. */
    @Serdeable
    record SigningSecret(String secret) {
    }

    /** One delivery of an event to the distributor's webhook. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DeliveryView(String id, @JsonProperty("event_id") String eventId, @JsonProperty("event_type") String eventType,
                        @JsonProperty("occurred_at") String occurredAt, String state, int attempts,
                        @JsonProperty("last_status_code") @Nullable Integer lastStatusCode,
                        @JsonProperty("last_error") @Nullable String lastError,
                        @JsonProperty("next_attempt_at") @Nullable String nextAttemptAt) {

        static DeliveryView of(Delivery d) {
            return new DeliveryView(d.eventId(), d.eventId(), d.eventType(), time(d.occurredAt()), d.state().name(),
                    d.attempts(), d.lastStatusCode(), d.lastError(), d.nextAttemptAt() == null ? null : time(d.nextAttemptAt()));
        }
    }

    /** {@code GET /distributors/{id}/deliveries}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DeliveryPage(List<DeliveryView> deliveries, long total, int page, @JsonProperty("per_page") int perPage) {
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
