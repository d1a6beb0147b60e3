package io.contentplane.integration;

import io.contentplane.domain.dynamo.PageOutOfReachException;
import io.contentplane.domain.integration.InvalidRequestException;
import io.contentplane.domain.integration.NotFoundException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs an integration endpoint and turns every failure into the Apex error body
 * {@code {"error":{"code","message","details"}}}; nothing escapes as a framework error or a
 * stack trace.
 */
final class IntegrationResponses {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationResponses.class);

    private IntegrationResponses() {
    }

    static HttpResponse<?> handle(Supplier<HttpResponse<?>> endpoint) {
        try {
            return endpoint.get();
        } catch (IntegrationException e) {
            MutableHttpResponse<?> response = error(e.status(), e.code(), e.getMessage(), e.details());
            if (e.retryAfter() != null) {
                response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter()));
            }
            return response;
        } catch (NotFoundException e) {
            return error(HttpStatus.NOT_FOUND, e.what().toUpperCase() + "_NOT_FOUND", e.getMessage(), Map.of());
        } catch (InvalidRequestException e) {
            return error(HttpStatus.BAD_REQUEST, "VALIDATION_ERROR", "Request validation failed", e.details());
        } catch (PageOutOfReachException e) {
            return error(HttpStatus.BAD_REQUEST, "VALIDATION_ERROR", "Request validation failed", Map.of("page", e.getMessage()));
        } catch (RuntimeException e) {
            // Class name only: lower layers' messages may carry values we must not log.
            LOG.error("Integration request failed: {}", e.getClass().getName());
            return error(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Unexpected server error", Map.of());
        }
    }

    static MutableHttpResponse<?> error(HttpStatus status, String code, String message, Map<String, ?> details) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("details", details);
        return HttpResponse.status(status).body(Map.of("error", error));
    }
}
