package io.contentplane.local.contract;

import io.contentplane.distributions.DistributionController;
import io.contentplane.distributions.RouteController;
import io.contentplane.integration.DistributorController;
import io.contentplane.integration.IntegrationAuthController;
import io.contentplane.integration.IntegrationNodeController;
import io.contentplane.operator.OperatorController;
import io.contentplane.status.NodeStatusController;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The published contract of all four HTTP groups, generated at build time by micronaut-openapi
 * from the controllers (included here, so the Lambda modules carry no OpenAPI processor nor
 * annotations), merged with the error bodies and per-operation error answers in
 * {@code src/main/openapi/} (additional files). The local runner serves it at {@code /openapi.yml}
 * and a Swagger UI page at {@code /swagger-ui/}. See docs/contract.md.
 */
@OpenAPIDefinition(info = @Info(title = "contentplane", version = "${contentplane.version}",
        description = "Argus operator and public API, Apex integration API, Buddy distributions API"))
@SecurityScheme(name = Contract.ARGUS_OPERATOR, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "Argus OperatorAuth: HS256 JWT signed with the node's operator secret, payload reqUrl (the path) and"
                + " reqBody (the parsed JSON body), iat at most 300 s old; kid = node id for nodes other than the default one")
@SecurityScheme(name = Contract.APEX_BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "Apex access token from POST /api/v1/integration/auth/authenticate (1 hour)")
@SecurityScheme(name = Contract.BUDDY_BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "Buddy distributions token: HS256 JWT with sub, scope (DISTRIBUTION_INFO DISTRIBUTION_ADD"
                + " DISTRIBUTION_MANAGE) and workspaces")
@OpenAPIInclude(classes = OperatorController.class, tags = @Tag(name = "Argus operator API"),
        security = @SecurityRequirement(name = Contract.ARGUS_OPERATOR))
@OpenAPIInclude(classes = NodeStatusController.class, tags = @Tag(name = "Argus public API"))
@OpenAPIInclude(classes = IntegrationAuthController.class, tags = @Tag(name = "Apex integration API: authentication"))
@OpenAPIInclude(classes = {IntegrationNodeController.class, DistributorController.class},
        tags = @Tag(name = "Apex integration API"), security = @SecurityRequirement(name = Contract.APEX_BEARER))
@OpenAPIInclude(classes = {DistributionController.class, RouteController.class}, tags = @Tag(name = "Buddy distributions API"),
        security = @SecurityRequirement(name = Contract.BUDDY_BEARER))
public final class Contract {
    static final String ARGUS_OPERATOR = "ArgusOperatorAuth";
    static final String APEX_BEARER = "ApexBearer";
    static final String BUDDY_BEARER = "BuddyBearer";

    private Contract() {
    }
}
