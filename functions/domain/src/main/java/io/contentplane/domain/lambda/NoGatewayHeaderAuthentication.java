package io.contentplane.domain.lambda;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.function.aws.proxy.security.MicronautLambdaAuthenticationFetcher;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Keeps micronaut-function-aws's {@code MicronautLambdaAuthenticationFetcher} out of the functions
 * that authenticate: it takes an API Gateway authorizer's claims or, failing those, the
 * {@code x-amzn-oidc-identity} header as an authenticated user. No API here has a gateway authorizer,
 * and any client can send that header: an operator request with it alone was answered 403 (an
 * authenticated user without the role) instead of 401. Only bearer tokens authenticate.
 */
@Singleton
@Requires(classes = {AuthenticationFetcher.class, MicronautLambdaAuthenticationFetcher.class})
@Replaces(MicronautLambdaAuthenticationFetcher.class)
public class NoGatewayHeaderAuthentication implements AuthenticationFetcher<HttpRequest<?>> {

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return Publishers.empty();
    }
}
