package io.contentplane.distributions;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.hateoas.JsonError;

import java.util.List;

/**
 * Errors the framework answers itself under {@code /workspaces} (no such route, method not
 * allowed) get Buddy's error body too, instead of Micronaut's HATEOAS one. Endpoints' own errors
 * already have it and pass untouched; other API groups' paths are not filtered.
 */
@ServerFilter("/workspaces/**")
public class DistributionsErrorFilter {

    @ResponseFilter
    void buddyErrors(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.getStatus().getCode() < 400 || !(response.getBody().orElse(null) instanceof JsonError)) {
            return;
        }
        String message = response.getStatus().getReason();
        String allowed = response.getHeaders().get(HttpHeaders.ALLOW);
        if (response.getStatus() == HttpStatus.METHOD_NOT_ALLOWED && allowed != null) {
            message = "Method " + request.getMethodName() + " is not allowed here; allowed: " + allowed.replace(",", ", ");
        }
        response.body(DistributionsResponses.error(response.getStatus(), List.of(message)).body());
    }
}
