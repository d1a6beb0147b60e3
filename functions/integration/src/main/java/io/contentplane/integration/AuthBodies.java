package io.contentplane.integration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Bodies of {@code /api/v1/integration/auth/*}. */
final class AuthBodies {
    /** Some non-blank character; written so that JSON Schema (ECMA 262) reads it as Java does (the contract). */
    static final String NON_BLANK = "^[\\s\\S]*\\S[\\s\\S]*$";
    static final String NON_EMPTY_STRING = "must be a non-empty string";

    private AuthBodies() {
    }

    /** {@code POST /auth/authenticate}: both halves may come in the headers instead. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Credentials(
            @JsonProperty("api_key") @Nullable @Pattern(regexp = NON_BLANK, message = NON_EMPTY_STRING)
            @Serdeable.Deserializable(using = StrictJson.Text.class) String apiKey,
            @JsonProperty("secret_key") @Nullable @Pattern(regexp = NON_BLANK, message = NON_EMPTY_STRING)
            @Serdeable.Deserializable(using = StrictJson.Text.class) String secretKey) {
        static final Credentials NONE = new Credentials(null, null);
    }

    /** {@code POST /auth/refresh}. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Refresh(
            @JsonProperty("refresh_token") @NotNull(message = "required string") @Pattern(regexp = NON_BLANK, message = "required string")
            @Serdeable.Deserializable(using = StrictJson.Text.class) String refreshToken) {
    }

    /** The answer of both. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Tokens(@JsonProperty("access_token") String accessToken,
                  @JsonProperty("refresh_token") String refreshToken,
                  @JsonProperty("token_type") String tokenType,
                  @JsonProperty("expires_in") long expiresIn,
                  @JsonProperty("expires_at") String expiresAt) {
    }
}
