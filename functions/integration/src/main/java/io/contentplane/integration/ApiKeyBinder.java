package io.contentplane.integration;

import io.contentplane.domain.integration.AccessTokens;
import io.contentplane.domain.integration.ApiKey;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Optional;

/** An endpoint's {@link ApiKey} parameter: the key and tenant of the verified access token. */
@Singleton
public class ApiKeyBinder implements TypedRequestArgumentBinder<ApiKey> {
    private static final Argument<ApiKey> TYPE = Argument.of(ApiKey.class);

    @Override
    public Argument<ApiKey> argumentType() {
        return TYPE;
    }

    @Override
    public BindingResult<ApiKey> bind(ArgumentConversionContext<ApiKey> context, HttpRequest<?> source) {
        Optional<ApiKey> key = source.getUserPrincipal(Authentication.class)
                .filter(a -> a.getAttributes().get(AccessTokens.TENANT) instanceof String)
                .map(a -> new ApiKey(a.getName(), (String) a.getAttributes().get(AccessTokens.TENANT)));
        return () -> key;
    }
}
