package io.contentplane.domain.distribution;

import io.contentplane.domain.dynamo.Counter;
import io.contentplane.domain.dynamo.Counters;
import io.contentplane.domain.dynamo.SingleTable;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * The item kinds of the distributions table (see {@link DistributionsTable}), one static table
 * schema each, and their keys. Keys never mix up parts: workspaces, owners and identifiers are
 * validated to carry no {@code #}, and a route path, which may, comes last.
 */
final class DistributionItems {
    static final String DISTRIBUTION_SK = "DISTRIBUTION";
    static final String ROUTE_SK_PREFIX = "ROUTE#";
    static final String UNIQUE_SK = "UNIQUE";
    /** Counts every creation and deletion of a route of the distribution: a distribution's delete checks it is unchanged. */
    static final String ROUTE_CHANGES_SK = "COUNT#ROUTE_CHANGES";

    private DistributionItems() {
    }

    static String partition(String workspace, String distributionId) {
        return "DIST#" + workspace + "#" + distributionId;
    }

    static String workspaceIndex(String workspace) {
        return "WS#" + workspace;
    }

    static String routesIndex(String workspace, String distributionId) {
        return "ROUTES#" + workspace + "#" + distributionId;
    }

    /** The claim that makes an identifier unique within its owner (workspace, project or environment). */
    static String identifierClaim(String workspace, DistributionSettings s) {
        return "IDENT#" + workspace + "#" + s.scope() + "#" + s.owner() + "#" + s.identifier();
    }

    /** The claim that gives a host and path to one route of the workspace. */
    static String hostClaim(String workspace, RouteSettings s) {
        return "HOST#" + workspace + "#" + s.host() + "#" + s.path();
    }

    /** Creation order in an index sort key: microseconds since the epoch, zero-padded, then the id. */
    private static String creationOrder(Instant createdAt, String id) {
        return String.format("%019d#%s", createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000, id);
    }

    // ---- uniqueness claims: <claim> / UNIQUE ----

    /** A uniqueness claim, held by a distribution (an identifier) or by one of its routes (a host and path). */
    record Claim(String key, String distributionId, @Nullable String routeId) {
    }

    static final TableSchema<Claim> CLAIM = StaticImmutableTableSchema.builder(Claim.class, ClaimBuilder.class)
            .newItemBuilder(ClaimBuilder::new, ClaimBuilder::build)
            .addAttribute(String.class, a -> a.name(SingleTable.PK).getter(Claim::key).setter((b, v) -> b.key = v)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.SK).getter(c -> UNIQUE_SK).setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("distribution_id").getter(Claim::distributionId)
                    .setter((b, v) -> b.distributionId = v))
            .addAttribute(String.class, a -> a.name("route_id").getter(Claim::routeId).setter((b, v) -> b.routeId = v))
            .build();

    // ---- distributions: DIST#<workspace>#<id> / DISTRIBUTION, on gsi1 WS#<workspace> in creation order ----

    private static final TableSchema<Permissions.Grant> GRANT = StaticImmutableTableSchema
            .builder(Permissions.Grant.class, GrantBuilder.class)
            .newItemBuilder(GrantBuilder::new, GrantBuilder::build)
            .addAttribute(Long.class, a -> a.name("id").getter(Permissions.Grant::id).setter((b, v) -> b.id = v))
            .addAttribute(String.class, a -> a.name("access_level").getter(Permissions.Grant::accessLevel)
                    .setter((b, v) -> b.accessLevel = v))
            .build();

    private static final EnhancedType<List<Permissions.Grant>> GRANTS =
            EnhancedType.listOf(EnhancedType.documentOf(Permissions.Grant.class, GRANT));

    /** Parts left out stay out of the map (and read back as null); an empty map reads back as all null. */
    private static final TableSchema<Permissions> PERMISSIONS = StaticImmutableTableSchema
            .builder(Permissions.class, PermissionsBuilder.class)
            .newItemBuilder(PermissionsBuilder::new, PermissionsBuilder::build)
            .addAttribute(String.class, a -> a.name("others").getter(Permissions::others).setter((b, v) -> b.others = v))
            .addAttribute(GRANTS, a -> a.name("users").getter(Permissions::users).setter((b, v) -> b.users = List.copyOf(v)))
            .addAttribute(GRANTS, a -> a.name("groups").getter(Permissions::groups).setter((b, v) -> b.groups = List.copyOf(v)))
            .build();

    static final TableSchema<Distribution> DISTRIBUTION = StaticImmutableTableSchema
            .builder(Distribution.class, DistributionBuilder.class)
            .newItemBuilder(DistributionBuilder::new, DistributionBuilder::build)
            .addAttribute(String.class, a -> a.name(SingleTable.PK).getter(d -> partition(d.workspace(), d.id()))
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.SK).getter(d -> DISTRIBUTION_SK).setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.GSI1_PK).getter(d -> workspaceIndex(d.workspace()))
                    .setter((b, v) -> { }).tags(secondaryPartitionKey(SingleTable.GSI1)))
            .addAttribute(String.class, a -> a.name(SingleTable.GSI1_SK).getter(d -> creationOrder(d.createdAt(), d.id()))
                    .setter((b, v) -> { }).tags(secondarySortKey(SingleTable.GSI1)))
            .addAttribute(String.class, a -> a.name("id").getter(Distribution::id).setter((b, v) -> b.id = v))
            .addAttribute(String.class, a -> a.name("workspace").getter(Distribution::workspace).setter((b, v) -> b.workspace = v))
            .addAttribute(Instant.class, a -> a.name("created_at").getter(Distribution::createdAt)
                    .setter((b, v) -> b.createdAt = v))
            .addAttribute(String.class, a -> a.name("name").getter(d -> d.settings().name()).setter((b, v) -> b.name = v))
            .addAttribute(String.class, a -> a.name("identifier").getter(d -> d.settings().identifier())
                    .setter((b, v) -> b.identifier = v))
            .addAttribute(Boolean.class, a -> a.name("disabled").getter(d -> d.settings().disabled())
                    .setter((b, v) -> b.disabled = v))
            .addAttribute(String.class, a -> a.name("scope").getter(d -> d.settings().scope().name())
                    .setter((b, v) -> b.scope = DistributionScope.valueOf(v)))
            .addAttribute(String.class, a -> a.name("project_name").getter(d -> d.settings().projectName())
                    .setter((b, v) -> b.projectName = v))
            .addAttribute(String.class, a -> a.name("environment_id").getter(d -> d.settings().environmentId())
                    .setter((b, v) -> b.environmentId = v))
            .addAttribute(EnhancedType.documentOf(Permissions.class, PERMISSIONS, c -> c.ignoreNulls(true).preserveEmptyObject(true)),
                    a -> a.name("permissions").getter(d -> d.settings().permissions()).setter((b, v) -> b.permissions = v))
            .addAttribute(Instant.class, a -> a.name("updated_at").getter(Distribution::updatedAt)
                    .setter((b, v) -> b.updatedAt = v))
            .addAttribute(Long.class, a -> a.name("version").getter(Distribution::version).setter((b, v) -> b.version = v))
            .build();

    // ---- routes: DIST#<workspace>#<distribution> / ROUTE#<id>, on gsi1 ROUTES#<workspace>#<distribution> in creation order ----

    /** One entry of a route's {@code targets} list: the region and its target. */
    private record RegionTarget(String region, Target target) {
    }

    private static final TableSchema<RegionTarget> REGION_TARGET = StaticImmutableTableSchema
            .builder(RegionTarget.class, RegionTargetBuilder.class)
            .newItemBuilder(RegionTargetBuilder::new, RegionTargetBuilder::build)
            .addAttribute(String.class, a -> a.name("region").getter(RegionTarget::region).setter((b, v) -> b.region = v))
            .addAttribute(String.class, a -> a.name("type").getter(t -> t.target().type()).setter((b, v) -> b.type = v))
            .addAttribute(String.class, a -> a.name("external_url").getter(t -> t.target().externalUrl())
                    .setter((b, v) -> b.externalUrl = v))
            .addAttribute(String.class, a -> a.name("tunnel_id").getter(t -> t.target().tunnelId())
                    .setter((b, v) -> b.tunnelId = v))
            .addAttribute(String.class, a -> a.name("tunnel_tunnel_id").getter(t -> t.target().tunnelTunnelId())
                    .setter((b, v) -> b.tunnelTunnelId = v))
            .build();

    static final TableSchema<Route> ROUTE = StaticImmutableTableSchema.builder(Route.class, RouteBuilder.class)
            .newItemBuilder(RouteBuilder::new, RouteBuilder::build)
            .addAttribute(String.class, a -> a.name(SingleTable.PK).getter(r -> partition(r.workspace(), r.distributionId()))
                    .setter((b, v) -> { }).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.SK).getter(r -> ROUTE_SK_PREFIX + r.id()).setter((b, v) -> { })
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.GSI1_PK).getter(r -> routesIndex(r.workspace(), r.distributionId()))
                    .setter((b, v) -> { }).tags(secondaryPartitionKey(SingleTable.GSI1)))
            .addAttribute(String.class, a -> a.name(SingleTable.GSI1_SK).getter(r -> creationOrder(r.createdAt(), r.id()))
                    .setter((b, v) -> { }).tags(secondarySortKey(SingleTable.GSI1)))
            .addAttribute(String.class, a -> a.name("id").getter(Route::id).setter((b, v) -> b.id = v))
            .addAttribute(String.class, a -> a.name("distribution_id").getter(Route::distributionId)
                    .setter((b, v) -> b.distributionId = v))
            .addAttribute(String.class, a -> a.name("workspace").getter(Route::workspace).setter((b, v) -> b.workspace = v))
            .addAttribute(String.class, a -> a.name("type").getter(r -> r.settings().type().name())
                    .setter((b, v) -> b.type = RouteType.valueOf(v)))
            .addAttribute(String.class, a -> a.name("subdomain").getter(r -> r.settings().subdomain())
                    .setter((b, v) -> b.subdomain = v))
            .addAttribute(String.class, a -> a.name("domain").getter(r -> r.settings().domain()).setter((b, v) -> b.domain = v))
            .addAttribute(String.class, a -> a.name("path").getter(r -> r.settings().path()).setter((b, v) -> b.path = v))
            .addAttribute(EnhancedType.listOf(EnhancedType.documentOf(RegionTarget.class, REGION_TARGET, c -> c.ignoreNulls(true))),
                    a -> a.name("targets").getter(DistributionItems::regionTargets).setter((b, v) -> b.targets = v))
            .addAttribute(Instant.class, a -> a.name("created_at").getter(Route::createdAt).setter((b, v) -> b.createdAt = v))
            .addAttribute(Instant.class, a -> a.name("updated_at").getter(Route::updatedAt).setter((b, v) -> b.updatedAt = v))
            .addAttribute(Long.class, a -> a.name("version").getter(Route::version).setter((b, v) -> b.version = v))
            .build();

    private static List<RegionTarget> regionTargets(Route r) {
        List<RegionTarget> targets = new ArrayList<>();
        r.settings().targets().forEach((region, target) -> targets.add(new RegionTarget(region, target)));
        return targets;
    }

    // ---- one distribution's partition, read in one Query ----

    /**
     * The items of one distribution's partition, each mapped by the schema of its kind, chosen by
     * its sort key: the {@link Distribution}, its {@link Route}s and its route changes
     * {@link Counter}. Only for reading: each kind is written through its own schema.
     */
    static final TableSchema<Object> PARTITION = new TableSchema<>() {
        @Override
        public Object mapToItem(Map<String, AttributeValue> item) {
            String sk = item.get(SingleTable.SK).s();
            if (DISTRIBUTION_SK.equals(sk)) {
                return DISTRIBUTION.mapToItem(item);
            }
            if (sk.startsWith(ROUTE_SK_PREFIX)) {
                return ROUTE.mapToItem(item);
            }
            if (ROUTE_CHANGES_SK.equals(sk)) {
                return Counters.UP.mapToItem(item);
            }
            throw new IllegalStateException("No item of kind " + sk + " belongs in a distribution's partition");
        }

        @Override
        public Map<String, AttributeValue> itemToMap(Object item, boolean ignoreNulls) {
            throw new UnsupportedOperationException("a distribution's partition is only read");
        }

        @Override
        public Map<String, AttributeValue> itemToMap(Object item, Collection<String> attributes) {
            throw new UnsupportedOperationException("a distribution's partition is only read");
        }

        @Override
        public AttributeValue attributeValue(Object item, String attributeName) {
            throw new UnsupportedOperationException("a distribution's partition is only read");
        }

        @Override
        public TableMetadata tableMetadata() {
            return DISTRIBUTION.tableMetadata();
        }

        @Override
        public EnhancedType<Object> itemType() {
            return EnhancedType.of(Object.class);
        }

        @Override
        public List<String> attributeNames() {
            return DISTRIBUTION.attributeNames();
        }

        @Override
        public boolean isAbstract() {
            return false;
        }

        @Override
        public AttributeConverter<Object> converterForAttribute(Object key) {
            throw new UnsupportedOperationException("a distribution's partition is only read");
        }
    };

    // ---- builders ----

    private static final class ClaimBuilder {
        private String key;
        private String distributionId;
        private String routeId;

        Claim build() {
            return new Claim(key, distributionId, routeId);
        }
    }

    private static final class GrantBuilder {
        private Long id;
        private String accessLevel;

        Permissions.Grant build() {
            return new Permissions.Grant(id, accessLevel);
        }
    }

    private static final class PermissionsBuilder {
        private String others;
        private List<Permissions.Grant> users;
        private List<Permissions.Grant> groups;

        Permissions build() {
            return new Permissions(others, users, groups);
        }
    }

    private static final class DistributionBuilder {
        private String id;
        private String workspace;
        private Instant createdAt;
        private String name;
        private String identifier;
        private Boolean disabled;
        private DistributionScope scope;
        private String projectName;
        private String environmentId;
        private Permissions permissions;
        private Instant updatedAt;
        private Long version;

        Distribution build() {
            return new Distribution(id, workspace, new DistributionSettings(name, identifier, Boolean.TRUE.equals(disabled),
                    scope, projectName, environmentId, permissions), createdAt, updatedAt, version);
        }
    }

    private static final class RegionTargetBuilder {
        private String region;
        private String type;
        private String externalUrl;
        private String tunnelId;
        private String tunnelTunnelId;

        RegionTarget build() {
            return new RegionTarget(region, new Target(type, externalUrl, tunnelId, tunnelTunnelId));
        }
    }

    private static final class RouteBuilder {
        private String id;
        private String distributionId;
        private String workspace;
        private RouteType type;
        private String subdomain;
        private String domain;
        private String path;
        private List<RegionTarget> targets;
        private Instant createdAt;
        private Instant updatedAt;
        private Long version;

        Route build() {
            Map<String, Target> byRegion = new LinkedHashMap<>();
            targets.forEach(t -> byRegion.put(t.region(), t.target()));
            return new Route(id, distributionId, workspace, new RouteSettings(type, subdomain, domain, path, byRegion),
                    createdAt, updatedAt, version);
        }
    }
}
