package io.contentplane.distributions;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Simultaneous clients: uniqueness holds because the store writes claims in transactions, never read-then-write. */
class DistributionsRaceTest extends DistributionsTestSupport {
    static final int CLIENTS = 20;

    /** Runs {@code request(i)} for i in 0..n-1 on n threads released at the same instant. */
    static List<APIGatewayProxyResponseEvent> simultaneously(int n, IntFunction<APIGatewayProxyResponseEvent> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int client = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.apply(client);
                }));
            }
            start.countDown();
            List<APIGatewayProxyResponseEvent> responses = new ArrayList<>();
            for (Future<APIGatewayProxyResponseEvent> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    static long count(List<APIGatewayProxyResponseEvent> responses, int status) {
        return responses.stream().filter(r -> r.getStatusCode() == status).count();
    }

    @Test
    void twentyClientsCreatingOneIdentifierGiveOneDistribution() throws Exception {
        String ws = workspace();
        String token = token(ws);
        List<APIGatewayProxyResponseEvent> responses = simultaneously(CLIENTS, i -> call("POST", distributions(ws), token,
                "{\"name\":\"Client " + i + "\",\"scope\":\"WORKSPACE\",\"identifier\":\"contested\"}"));
        assertEquals(1, count(responses, 201), responses.stream().map(APIGatewayProxyResponseEvent::getBody).toList().toString());
        assertEquals(CLIENTS - 1, count(responses, 409));
        for (APIGatewayProxyResponseEvent r : responses) {
            if (r.getStatusCode() == 409) {
                assertEquals(List.of("Identifier contested is already used by another distribution of this workspace"), errors(r, 409));
            }
        }
        assertEquals(1, ((List<?>) body(call("GET", distributions(ws), token, null)).get("distributions")).size());
    }

    @Test
    void twentyClientsRenamingOntoOneIdentifierGiveOneWinner() throws Exception {
        String ws = workspace();
        String token = token(ws);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            ids.add((String) createDistribution(ws, token, "{\"name\":\"D" + i + "\",\"scope\":\"PROJECT\",\"project_name\":\"p\"}").get("id"));
        }
        List<APIGatewayProxyResponseEvent> responses = simultaneously(CLIENTS, i -> call("PATCH", distributions(ws) + "/" + ids.get(i), token,
                "{\"identifier\":\"contested\"}"));
        assertEquals(1, count(responses, 200));
        assertEquals(CLIENTS - 1, count(responses, 409));
        // the losers kept their identifiers, which stay theirs
        for (int i = 0; i < CLIENTS; i++) {
            if (responses.get(i).getStatusCode() == 409) {
                errors(call("POST", distributions(ws), token, "{\"name\":\"x\",\"scope\":\"PROJECT\",\"project_name\":\"p\",\"identifier\":\"d" + i + "\"}"), 409);
            }
        }
    }

    @Test
    void twentyClientsCreatingOneHostAndPathGiveOneRoute() throws Exception {
        String ws = workspace();
        String token = token(ws);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            ids.add((String) createDistribution(ws, token, "{\"name\":\"D" + i + "\",\"scope\":\"WORKSPACE\"}").get("id"));
        }
        List<APIGatewayProxyResponseEvent> responses = simultaneously(CLIENTS, i -> call("POST",
                distributions(ws) + "/" + ids.get(i % 4) + "/routes", token, SEED_ROUTE_GEO));
        assertEquals(1, count(responses, 201));
        assertEquals(CLIENTS - 1, count(responses, 409));
    }

    @Test
    @SuppressWarnings("unchecked")
    void simultaneousRoutesOfOneDistributionAreAllKeptAndCounted() throws Exception {
        String ws = workspace();
        String token = token(ws);
        String id = (String) createDistribution(ws, token, SEED_WORKSPACE).get("id");
        List<APIGatewayProxyResponseEvent> responses = simultaneously(CLIENTS, i -> call("POST", distributions(ws) + "/" + id + "/routes", token,
                "{\"type\":\"PROXY\",\"subdomain\":\"s" + i + "\",\"domain\":\"race.example\","
                        + "\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"}}}"));
        assertEquals(CLIENTS, count(responses, 201));
        List<Map<String, Object>> routes = (List<Map<String, Object>>) body(call("GET", distributions(ws) + "/" + id, token, null)).get("routes");
        assertEquals(CLIENTS, routes.size());
        // half are deleted while the distribution is renamed: every write lands
        List<APIGatewayProxyResponseEvent> mixed = simultaneously(CLIENTS / 2 + 1, i -> i == CLIENTS / 2
                ? call("PATCH", distributions(ws) + "/" + id, token, "{\"name\":\"Renamed\"}")
                : call("DELETE", distributions(ws) + "/" + id + "/routes/" + routes.get(i).get("id"), token, null));
        assertEquals(CLIENTS / 2, count(mixed, 204));
        assertEquals(1, count(mixed, 200));
        Map<String, Object> after = body(call("GET", distributions(ws) + "/" + id, token, null));
        assertEquals("Renamed", after.get("name"));
        assertEquals(CLIENTS / 2, ((List<?>) after.get("routes")).size());
        assertEquals(204, call("DELETE", distributions(ws) + "/" + id, token, null).getStatusCode());
    }

    @Test
    void aRouteCreatedWhileItsDistributionIsDeletedDoesNotOutliveIt() throws Exception {
        String ws = workspace();
        String token = token(ws);
        for (int round = 0; round < 5; round++) {
            String id = (String) createDistribution(ws, token, "{\"name\":\"R" + round + "\",\"scope\":\"WORKSPACE\"}").get("id");
            String subdomain = "round" + round;
            List<APIGatewayProxyResponseEvent> responses = simultaneously(2, i -> i == 0
                    ? call("DELETE", distributions(ws) + "/" + id, token, null)
                    : call("POST", distributions(ws) + "/" + id + "/routes", token, "{\"type\":\"PROXY\",\"subdomain\":\"" + subdomain
                    + "\",\"domain\":\"gone.example\",\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"}}}"));
            assertEquals(204, responses.get(0).getStatusCode(), responses.get(0).getBody());
            int created = responses.get(1).getStatusCode();
            assertTrue(created == 201 || created == 404, responses.get(1).getBody());
            // either way nothing is left: the host is free again
            String again = (String) createDistribution(ws, token, "{\"name\":\"A" + round + "\",\"scope\":\"WORKSPACE\"}").get("id");
            createRoute(ws, token, again, "{\"type\":\"PROXY\",\"subdomain\":\"" + subdomain + "\",\"domain\":\"gone.example\","
                    + "\"targets\":{\"Default\":{\"type\":\"EXTERNAL\",\"external_url\":\"a.com\"}}}");
        }
    }
}
