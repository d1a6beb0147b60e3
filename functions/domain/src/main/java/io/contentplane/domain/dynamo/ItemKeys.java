package io.contentplane.domain.dynamo;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.secondarySortKey;

/**
 * Any item of our tables seen through its keys only: what {@link Pages} reads (projected to the
 * keys) to step over the pages before the one it answers.
 */
public record ItemKeys(String pk, String sk, String gsi1pk, String gsi1sk) {
    static final String[] NAMES = {SingleTable.PK, SingleTable.SK, SingleTable.GSI1_PK, SingleTable.GSI1_SK};

    public static final TableSchema<ItemKeys> SCHEMA = StaticImmutableTableSchema.builder(ItemKeys.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name(SingleTable.PK).getter(ItemKeys::pk).setter(Builder::pk)
                    .tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.SK).getter(ItemKeys::sk).setter(Builder::sk)
                    .tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(SingleTable.GSI1_PK).getter(ItemKeys::gsi1pk).setter(Builder::gsi1pk)
                    .tags(secondaryPartitionKey(SingleTable.GSI1)))
            .addAttribute(String.class, a -> a.name(SingleTable.GSI1_SK).getter(ItemKeys::gsi1sk).setter(Builder::gsi1sk)
                    .tags(secondarySortKey(SingleTable.GSI1)))
            .build();

    private static final class Builder {
        private String pk;
        private String sk;
        private String gsi1pk;
        private String gsi1sk;

        void pk(String v) {
            pk = v;
        }

        void sk(String v) {
            sk = v;
        }

        void gsi1pk(String v) {
            gsi1pk = v;
        }

        void gsi1sk(String v) {
            gsi1sk = v;
        }

        ItemKeys build() {
            return new ItemKeys(pk, sk, gsi1pk, gsi1sk);
        }
    }
}
