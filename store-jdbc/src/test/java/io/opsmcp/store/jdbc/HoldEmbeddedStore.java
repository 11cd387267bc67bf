package io.opsmcp.store.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process for {@link StoresTest}: opens the embedded database at {@code args[0]} with the password in
 * {@code args[1]}, prints {@code held}, and keeps it open until the file {@code args[2]} exists (or 60 s pass).
 */
public final class HoldEmbeddedStore {

    private HoldEmbeddedStore() {}

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", args[1])) {
            System.out.println("held");
            System.out.flush();
            Path release = Path.of(args[2]);
            for (int i = 0; i < 600 && !Files.exists(release); i++) {
                Thread.sleep(100);
            }
        }
    }
}
