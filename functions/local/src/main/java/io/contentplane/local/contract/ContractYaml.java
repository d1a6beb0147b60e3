package io.contentplane.local.contract;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads and writes the YAML files of the contract's build steps ({@link ContractRules}, {@link ContractErrors}). */
final class ContractYaml {
    private ContractYaml() {
    }

    static Map<String, Object> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Yaml().load(in);
        }
    }

    /** Block style, 120 columns: the document stays readable and diffable where it is served. */
    static void write(Path file, Map<String, Object> document) throws IOException {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            new Yaml(options).dump(document, out);
        }
    }
}
