package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;

class SmokeTest extends DistributionsTestSupport {
    @Test
    void smoke() {
        String ws = workspace();
        String t = token(ws);
        for (String[] c : new String[][]{{"POST", distributions(ws), SEED_WORKSPACE}, {"GET", distributions(ws), null},
                {"GET", distributions(ws) + "/abc/xyz/unknown", null}, {"PUT", distributions(ws), "{}"},
                {"GET", "/workspaces/" + ws, null}, {"POST", distributions(ws), "{\"name\":"}}) {
            APIGatewayProxyResponseEvent r = call(c[0], c[1], t, c[2]);
            System.out.println(c[0] + " " + c[1] + " -> " + r.getStatusCode() + " " + r.getHeaders() + " " + r.getBody());
        }
    }
}
