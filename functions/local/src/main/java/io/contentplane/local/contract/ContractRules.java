package io.contentplane.local.contract;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A build step (process-classes, after micronaut-openapi wrote the document): deep-merges the
 * cross-field request rules of {@code src/main/contract/rules.yml} (oneOf branches, which no field
 * annotation can express) into the generated component schemas of the same name. Maps merge key by
 * key, anything else replaces, and a {@code null} removes the key. micronaut-openapi's own merge of
 * additional files replaces a whole component, so it cannot add to a generated one.
 */
public final class ContractRules {
    private ContractRules() {
    }

    public static void main(String[] args) throws IOException {
        Path document = Path.of(args[0]);
        Map<String, Object> openApi = ContractYaml.read(document);
        apply(openApi, ContractYaml.read(Path.of(args[1])));
        ContractYaml.write(document, openApi);
    }

    /** Merges each rule into its component; a rule for a component the document lacks is a build error (a renamed record). */
    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> openApi, Map<String, Object> rules) {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) openApi.get("components")).get("schemas");
        for (Map.Entry<String, Object> rule : rules.entrySet()) {
            if (!(schemas.get(rule.getKey()) instanceof Map<?, ?> component)) {
                throw new IllegalStateException("rules.yml names " + rule.getKey() + ", which the generated document does not have");
            }
            merge((Map<String, Object>) component, (Map<String, Object>) rule.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> rule) {
        for (Map.Entry<String, Object> entry : rule.entrySet()) {
            Object value = entry.getValue();
            if (value == null) {
                target.remove(entry.getKey());
            } else if (value instanceof Map<?, ?> map && target.get(entry.getKey()) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) map);
            } else {
                target.put(entry.getKey(), value);
            }
        }
    }
}
