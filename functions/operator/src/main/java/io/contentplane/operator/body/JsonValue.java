package io.contentplane.operator.body;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * A body field read as the JSON value sent, {@code null} included (as a null node, so that
 * {@code "workerId": null} is "must be integer" while an absent field is "required", as ajv tells
 * them apart); serde would otherwise turn both into a Java null.
 */
@Singleton
public class JsonValue implements Deserializer<JsonNode> {

    @Override
    public JsonNode deserialize(Decoder decoder, DecoderContext context, Argument<? super JsonNode> type) throws IOException {
        return decoder.decodeNode();
    }

    @Override
    public JsonNode deserializeNullable(Decoder decoder, DecoderContext context, Argument<? super JsonNode> type) throws IOException {
        return decoder.decodeNode();
    }

    @Override
    public boolean allowNull() {
        return true;
    }
}
