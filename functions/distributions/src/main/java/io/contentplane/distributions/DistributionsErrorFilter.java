package io.contentplane.distributions;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

@ServerFilter("/workspaces/**")
public class DistributionsErrorFilter {
    @ResponseFilter
    void buddyErrors(HttpRequest<?> request, MutableHttpResponse<?> response) {
        System.out.println("FILTER " + response.getStatus() + " " + response.getBody().map(b -> b.getClass().getName() + " " + b).orElse("none"));
    }
}
