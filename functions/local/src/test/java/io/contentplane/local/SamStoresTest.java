package io.contentplane.local;

import io.contentplane.domain.migration.DatabaseRoles;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which role each function logs in as under sam local: the one template.yaml gives it in AWS. */
class SamStoresTest {

    @Test
    void eachDatabaseFunctionGetsTheRoleOfItsOwnSecret() {
        assertEquals(Map.of(
                        "OperatorFunction", DatabaseRoles.Role.OPERATOR,
                        "StatusFunction", DatabaseRoles.Role.STATUS,
                        "IntegrationFunction", DatabaseRoles.Role.INTEGRATION,
                        "DispatcherFunction", DatabaseRoles.Role.DISPATCHER),
                SamStores.functionRoles(TemplateTables.packedTemplate()));
    }

    @Test
    void followsTheTemplateNotTheNames() {
        // A function that reads another function's secret logs in as that role; the master login's function
        // and a function without a database get no entry.
        String template = """
                Resources:
                  Migrate:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment:
                        Variables:
                          DATABASE_SECRET_ARN: !Ref MasterSecret
                          STATUS_DATABASE_SECRET_ARN: !Ref ReadOnlySecret
                  Reporter:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment:
                        Variables:
                          DATABASE_SECRET_ARN: !Ref ReadOnlySecret
                  Mailer:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x
                """;
        assertEquals(Map.of("Reporter", DatabaseRoles.Role.STATUS),
                SamStores.functionRoles(TemplateTables.parse(new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8)))));
    }
}
