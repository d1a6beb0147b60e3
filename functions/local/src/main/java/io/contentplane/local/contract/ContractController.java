package io.contentplane.local.contract;

import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yml}: the contract micronaut-openapi generated at build time
 * ({@link Contract}); the Swagger UI page generated with it is a static resource at
 * {@code /swagger-ui/} (application-local.properties). Local runner only: the Lambda functions
 * serve their APIs, not the document.
 */
@Hidden
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class ContractController {
    static final String DOCUMENT = "classpath:META-INF/swagger/openapi.yml";
    private static final MediaType YAML = MediaType.of("application/yaml");

    private final byte[] document;

    public ContractController(ResourceResolver resources) {
        try (InputStream in = resources.getResourceAsStream(DOCUMENT)
                .orElseThrow(() -> new IllegalStateException(DOCUMENT + " is missing: the build generates it (micronaut-openapi)"))) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = "/openapi.yml", produces = "application/yaml")
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(document).contentType(YAML);
    }
}
