package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.Items;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys and attribute maps of the distributions table (see {@link DistributionsTable}). Keys never
 * mix up parts: workspaces, owners and identifiers are validated to carry no {@code #}, and a route
 * path, which may, comes last.
 */
final class DistributionItems {
    static final String DISTRIBUTION_SK = "DISTRIBUTION";
    static final String ROUTE_SK_PREFIX = "ROUTE#";
    static final String UNIQUE_SK = "UNIQUE";

    private DistributionItems() {
    }

    static String partition(String workspace, String distributionId) {
        return "DIST#" + workspace + "#" + distributionId;
    }

    static String workspaceIndex(String workspace) {
        return "WS#" + workspace;
    }

    /** The claim that makes an identifier unique within its owner (workspace, project or environment). */
    static String identifierClaim(String workspace, DistributionSettings s) {
        return "IDENT#" + workspace + "#" + s.scope() + "#" + s.owner() + "#" + s.identifier();
    }

    /** The claim that gives a host and path to one route of the workspace. */
    static String hostClaim(String workspace, RouteSettings s) {
        return "HOST#" + workspace + "#" + s.host() + "#" + s.path();
    }

    static Map<String, AttributeValue> claim(String pk, String distributionId, String routeId) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(pk, UNIQUE_SK));
        item.put("distribution_id", Items.s(distributionId));
        if (routeId != null) {
            item.put("route_id", Items.s(routeId));
        }
        return item;
    }

    // ---- distributions ----

    static Map<String, AttributeValue> toItem(Distribution d) {
        Map<String, AttributeValue> item = new HashMap<>(Items.key(partition(d.workspace(), d.id()), DISTRIBUTION_SK));
        item.put(DistributionsTable.GSI1_PK, Items.s(workspaceIndex(d.workspace())));
        item.put(DistributionsTable.GSI1_SK, Items.s(String.format("%019d#%s", micros(d.createdAt()), d.id())));
        item.put("id", Items.s(d.id()));
        item.put("workspace", Items.s(d.workspace()));
        item.put("created_at", Items.s(d.createdAt().toString()));
        item.put("route_count", Items.n(0));
        mutableAttributes(d).forEach((name, value) -> {
            if (value != null) {
                item.put(name, value);
            }
        });
        return item;
    }

    /**
     * The attributes an update rewrites; {@code project_name} and {@code environment_id} map to
     * null when the scope has none (the update removes them).
     */
    static Map<String, AttributeValue> mutableAttributes(Distribution d) {
        DistributionSettings s = d.settings();
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("name", Items.s(s.name()));
        item.put("identifier", Items.s(s.identifier()));
        item.put("disabled", Items.bool(s.disabled()));
        item.put("scope", Items.s(s.scope().name()));
        item.put("project_name", s.projectName() == null ? null : Items.s(s.projectName()));
        item.put("environment_id", s.environmentId() == null ? null : Items.s(s.environmentId()));
        item.put("permissions", permissions(s.permissions()));
        item.put("updated_at", Items.s(d.updatedAt().toString()));
        item.put("version", Items.n(d.version()));
        return item;
    }

    static Distribution distribution(Map<String, AttributeValue> item) {
        DistributionSettings settings = new DistributionSettings(Items.string(item, "name"), Items.string(item, "identifier"),
                Boolean.TRUE.equals(item.get("disabled").bool()), DistributionScope.valueOf(Items.string(item, "scope")),
                Items.string(item, "project_name"), Items.string(item, "environment_id"), permissions(item.get("permissions")));
        return new Distribution(Items.string(item, "id"), Items.string(item, "workspace"), settings,
                Instant.parse(Items.string(item, "created_at")), Instant.parse(Items.string(item, "updated_at")),
                Items.number(item, "version"));
    }

    private static AttributeValue permissions(Permissions p) {
        Map<String, AttributeValue> map = new HashMap<>();
        if (p.others() != null) {
            map.put("others", Items.s(p.others()));
        }
        if (p.users() != null) {
            map.put("users", grants(p.users()));
        }
        if (p.groups() != null) {
            map.put("groups", grants(p.groups()));
        }
        return AttributeValue.fromM(map);
    }

    private static AttributeValue grants(List<Permissions.Grant> grants) {
        List<AttributeValue> list = new ArrayList<>();
        for (Permissions.Grant g : grants) {
            list.add(AttributeValue.fromM(Map.of("id", Items.n(g.id()), "access_level", Items.s(g.accessLevel()))));
        }
        return AttributeValue.fromL(list);
    }

    private static Permissions permissions(AttributeValue value) {
        Map<String, AttributeValue> map = value.m();
        return new Permissions(Items.string(map, "others"), grants(map.get("users")), grants(map.get("groups")));
    }

    private static List<Permissions.Grant> grants(AttributeValue value) {
        if (value == null) {
            return null;
        }
        List<Permissions.Grant> grants = new ArrayList<>();
        for (AttributeValue g : value.l()) {
            grants.add(new Permissions.Grant(Items.number(g.m(), "id"), Items.string(g.m(), "access_level")));
        }
        return List.copyOf(grants);
    }

    // ---- routes ----

    static Map<String, AttributeValue> toItem(Route r) {
        RouteSettings s = r.settings();
        Map<String, AttributeValue> item = new HashMap<>(Items.key(partition(r.workspace(), r.distributionId()), ROUTE_SK_PREFIX + r.id()));
        item.put("id", Items.s(r.id()));
        item.put("distribution_id", Items.s(r.distributionId()));
        item.put("workspace", Items.s(r.workspace()));
        item.put("type", Items.s(s.type().name()));
        item.put("subdomain", Items.s(s.subdomain()));
        item.put("domain", Items.s(s.domain()));
        item.put("path", Items.s(s.path()));
        List<AttributeValue> targets = new ArrayList<>();
        s.targets().forEach((region, t) -> {
            Map<String, AttributeValue> target = new HashMap<>();
            target.put("region", Items.s(region));
            target.put("type", Items.s(t.type()));
            if (t.externalUrl() != null) {
                target.put("external_url", Items.s(t.externalUrl()));
            }
            if (t.tunnelId() != null) {
                target.put("tunnel_id", Items.s(t.tunnelId()));
                target.put("tunnel_tunnel_id", Items.s(t.tunnelTunnelId()));
            }
            targets.add(AttributeValue.fromM(target));
        });
        item.put("targets", AttributeValue.fromL(targets));
        item.put("created_at", Items.s(r.createdAt().toString()));
        item.put("updated_at", Items.s(r.updatedAt().toString()));
        item.put("version", Items.n(r.version()));
        return item;
    }

    static Route route(Map<String, AttributeValue> item) {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (AttributeValue value : item.get("targets").l()) {
            Map<String, AttributeValue> t = value.m();
            targets.put(Items.string(t, "region"), new Target(Items.string(t, "type"), Items.string(t, "external_url"),
                    Items.string(t, "tunnel_id"), Items.string(t, "tunnel_tunnel_id")));
        }
        RouteSettings settings = new RouteSettings(RouteType.valueOf(Items.string(item, "type")), Items.string(item, "subdomain"),
                Items.string(item, "domain"), Items.string(item, "path"), targets);
        return new Route(Items.string(item, "id"), Items.string(item, "distribution_id"), Items.string(item, "workspace"),
                settings, Instant.parse(Items.string(item, "created_at")), Instant.parse(Items.string(item, "updated_at")),
                Items.number(item, "version"));
    }

    // ---- transaction items ----

    static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition,
                                 Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).conditionExpression(condition)
                .expressionAttributeValues(values.isEmpty() ? null : values).build()).build();
    }

    static TransactWriteItem delete(String table, String pk, String sk, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(Items.key(pk, sk))
                .conditionExpression(condition).expressionAttributeValues(values).build()).build();
    }

    /** Adds {@code delta} to a live distribution's route count (a route came or went). */
    static TransactWriteItem countRoutes(String table, String workspace, String distributionId, long delta) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Items.key(partition(workspace, distributionId), DISTRIBUTION_SK))
                .updateExpression("ADD route_count :delta").conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":delta", Items.n(delta))).build()).build();
    }

    /** Deletes a route, unless it changed since it was read, with its host claim. */
    static List<TransactWriteItem> deleteRoute(String table, Route r) {
        return List.of(
                delete(table, partition(r.workspace(), r.distributionId()), ROUTE_SK_PREFIX + r.id(), "version = :v",
                        Map.of(":v", Items.n(r.version()))),
                delete(table, hostClaim(r.workspace(), r.settings()), UNIQUE_SK, "route_id = :r",
                        Map.of(":r", Items.s(r.id()))));
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
