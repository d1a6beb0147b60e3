package io.contentplane.domain.distribution;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteResolverTest {
    static Route route(String id, String subdomain, String domain, String path, Map<String, Target> targets) {
        return new Route(id, "dist0001", "ws", new RouteSettings(RouteType.PROXY, subdomain, domain, path, targets),
                Instant.EPOCH, Instant.EPOCH, 1);
    }

    static Map<String, Target> targets(String... regionsAndUrls) {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (int i = 0; i < regionsAndUrls.length; i += 2) {
            targets.put(regionsAndUrls[i], Target.external(regionsAndUrls[i + 1]));
        }
        return targets;
    }

    static final List<Route> ROUTES = List.of(
            route("root0001", "www", "shop.example", "", targets("Default", "root.com")),
            route("docs0001", "www", "shop.example", "docs", targets("COUNTRY-PL", "pl.com", "CONTINENT-Europe", "eu.com", "Default", "d.com")),
            route("api00001", "www", "shop.example", "docs/api/v1", targets("CONTINENT-Asia", "asia.com", "Default", "api.com")),
            route("apex0001", "", "shop.example", "docs", targets("Default", "apex.com")));

    static RouteResolver.Resolution resolve(String host, String path, String country) {
        return RouteResolver.resolve(ROUTES, host, path, country).orElseThrow();
    }

    @Test
    void theLongestPrefixOnSegmentBoundariesWins() {
        assertEquals("docs0001", resolve("www.shop.example", "/docs", null).route().id());
        assertEquals("docs0001", resolve("www.shop.example", "/docs/", null).route().id());
        assertEquals("docs0001", resolve("www.shop.example", "docs/api", null).route().id());
        assertEquals("docs0001", resolve("www.shop.example", "/docs/api/v10", null).route().id());
        assertEquals("api00001", resolve("www.shop.example", "/docs/api/v1/users", null).route().id());
        assertEquals("root0001", resolve("www.shop.example", "/documents", null).route().id());
        assertEquals("root0001", resolve("www.shop.example", "", null).route().id());
        assertEquals("docs0001", resolve("www.shop.example", "/docs?x=/docs/api/v1", null).route().id());
        assertEquals("docs0001", resolve("www.shop.example", "/docs?q=1#top", null).route().id());
    }

    @Test
    void hostsMatchWholeAndCaseInsensitively() {
        assertEquals("apex0001", resolve("Shop.Example", "/docs", null).route().id());
        assertEquals("apex0001", resolve("shop.example.:8080", "/docs/x", null).route().id());
        assertEquals("docs0001", resolve(" WWW.shop.example ", "/docs", null).route().id());
        assertFalse(RouteResolver.resolve(ROUTES, "shop.example", "/", null).isPresent()); // the apex route serves only /docs
        assertFalse(RouteResolver.resolve(ROUTES, "ww.shop.example", "/docs", null).isPresent());
        assertFalse(RouteResolver.resolve(ROUTES, "xwww.shop.example", "/docs", null).isPresent());
        assertFalse(RouteResolver.resolve(List.of(), "www.shop.example", "/", null).isPresent());
    }

    @Test
    void countryThenContinentThenDefault() {
        assertEquals("COUNTRY-PL", resolve("www.shop.example", "/docs", "PL").region());
        assertEquals(Target.external("pl.com"), resolve("www.shop.example", "/docs", "PL").target());
        assertEquals("CONTINENT-Europe", resolve("www.shop.example", "/docs", "FR").region());
        assertEquals(Target.external("eu.com"), resolve("www.shop.example", "/docs", "FR").target());
        assertEquals("Default", resolve("www.shop.example", "/docs", "BR").region());
        assertEquals("Default", resolve("www.shop.example", "/docs", "QQ").region());
        assertEquals("Default", resolve("www.shop.example", "/docs", null).region());
        assertEquals(Target.external("d.com"), resolve("www.shop.example", "/docs", null).target());
        assertEquals("CONTINENT-Asia", resolve("www.shop.example", "/docs/api/v1", "JP").region());
        assertEquals("Default", resolve("www.shop.example", "/docs/api/v1", "PL").region());
    }

    @Test
    void reasonsNameTheRouteAndTheRegionChoice() {
        String reason = resolve("www.shop.example", "/docs/x", "FR").reason();
        assertTrue(reason.contains("docs0001") && reason.contains("/docs/x") && reason.contains("Europe"), reason);
        assertTrue(resolve("www.shop.example", "/", null).reason().contains("serves every path"));
    }

    @Test
    void outerSlashesAreStripped() {
        assertEquals("a/b", RouteResolver.stripSlashes("//a/b//"));
        assertEquals("", RouteResolver.stripSlashes("///"));
    }
}
