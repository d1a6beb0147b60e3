package io.contentplane.distributions;

import io.contentplane.domain.distribution.ConflictException;
import io.contentplane.domain.distribution.ResourceNotFoundException;
import io.contentplane.domain.dynamo.PageOutOfReachException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a distributions endpoint and turns every failure into Buddy's error body
 * {@code {"errors":[{"message":"..."}]}}; nothing escapes as a framework error or a stack trace.
 */
final class DistributionsResponses {
    private static final Logger LOG = LoggerFactory.getLogger(DistributionsResponses.class);

    private DistributionsResponses() {
    }

    static HttpResponse<?> handle(Supplier<HttpResponse<?>> endpoint) {
        try {
            return endpoint.get();
        } catch (DistributionsException e) {
            MutableHttpResponse<?> response = error(e.status(), e.messages());
            e.headers().forEach(response::header);
            return response;
        } catch (ResourceNotFoundException e) {
            return error(HttpStatus.NOT_FOUND, List.of(e.getMessage()));
        } catch (ConflictException e) {
            return error(HttpStatus.CONFLICT, List.of(e.getMessage()));
        } catch (PageOutOfReachException e) {
            return error(HttpStatus.BAD_REQUEST, List.of(e.getMessage()));
        } catch (RuntimeException e) {
            // Class name only: lower layers' messages may carry values we must not log.
            LOG.error("Distributions request failed: {}", e.getClass().getName());
            return error(HttpStatus.INTERNAL_SERVER_ERROR, List.of("Unexpected server error"));
        }
    }

    static MutableHttpResponse<?> error(HttpStatus status, List<String> messages) {
        return HttpResponse.status(status).body(Map.of("errors", messages.stream().map(m -> Map.of("message", m)).toList()));
    }
}
