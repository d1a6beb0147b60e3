package io.contentplane.domain.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client authentication (pg_hba.conf) of the embedded PostgreSQL that the tests and the local
 * runner's {@code sam-stores} start: as on RDS, every login role (the functions' {@link DatabaseRoles})
 * must give its password; only the stores' own superuser is trusted, from loopback. initdb's default
 * trusts everyone, so a role would log in with any password and role checks would prove nothing.
 */
public final class PasswordCheckingHba {

    private PasswordCheckingHba() {
    }

    /** Writes the rules to a new temporary file, deleted when the JVM exits, and returns it. */
    public static Path write() throws IOException {
        Path hba = Files.createTempFile("contentplane-pg_hba", ".conf");
        hba.toFile().deleteOnExit();
        Files.writeString(hba, String.join("\n",
                "local all postgres trust",
                "host all postgres 127.0.0.1/32 trust",
                "host all postgres ::1/128 trust",
                "local all all scram-sha-256",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256", ""));
        return hba;
    }
}
