package io.mote.engine.retained;

import io.mote.engine.topic.LevelTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedTreeTest
{
    private final LevelTable levels = new LevelTable();
    private final RetainedTree tree = new RetainedTree(levels);

    @Test
    void shouldHoldValueAndChildrenWhenRowIsSetOnInnerNode()
    {
        set("light/bedroom", "on");
        set("light/bedroom/is_on", "1");

        final int bedroom = find("light/bedroom");
        assertThat(tree.copyValue(bedroom)).isEqualTo(bytes("on"));
        assertThat(tree.firstChild(bedroom)).isEqualTo(find("light/bedroom/is_on"));
        assertThat(tree.rowCount()).isEqualTo(2);
    }

    @Test
    void shouldKeepNodeWithChildrenWhenItsOwnValueIsDeleted()
    {
        set("light/bedroom", "on");
        set("light/bedroom/is_on", "1");

        assertThat(delete("light/bedroom")).isTrue();

        final int bedroom = find("light/bedroom");
        assertThat(bedroom).isNotEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.hasValue(bedroom)).isFalse();
        assertThat(tree.copyValue(find("light/bedroom/is_on"))).isEqualTo(bytes("1"));
    }

    @Test
    void shouldPruneEmptyAncestorsWhenLeafIsDeleted()
    {
        set("a/b/c/d", "x");

        assertThat(delete("a/b/c/d")).isTrue();

        assertThat(find("a")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.firstChild(tree.root())).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.nodeCount()).isEqualTo(1);
    }

    @Test
    void shouldKeepAncestorHoldingValueWhenDescendantIsDeleted()
    {
        set("a/b", "kept");
        set("a/b/c/d", "x");

        delete("a/b/c/d");

        assertThat(find("a/b/c")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.copyValue(find("a/b"))).isEqualTo(bytes("kept"));
        assertThat(tree.firstChild(find("a/b"))).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.nodeCount()).isEqualTo(3);
    }

    @Test
    void shouldKeepAncestorWithOtherChildrenWhenLeafIsDeleted()
    {
        set("a/b/c", "x");
        set("a/b/d", "y");
        set("a/e", "z");

        delete("a/b/c");

        assertThat(find("a/b/c")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.firstChild(find("a/b"))).isEqualTo(find("a/b/d"));
        assertThat(tree.nextSibling(find("a/b/d"))).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.nodeCount()).isEqualTo(5);
    }

    @Test
    void shouldUnlinkMiddleSiblingWhenItIsPruned()
    {
        set("a/x", "1");
        set("a/y", "2");
        set("a/z", "3");

        delete("a/y");

        final int a = find("a");
        int count = 0;
        for (int child = tree.firstChild(a); child != RetainedTree.NO_NODE; child = tree.nextSibling(child))
        {
            assertThat(child).isIn(find("a/x"), find("a/z"));
            count++;
        }
        assertThat(count).isEqualTo(2);
    }

    @Test
    void shouldOverwriteValueInPlaceWhenPayloadHasSameLength()
    {
        final int node = set("a/b", "1234");
        final int before = tree.valueOffset(node);

        set("a/b", "5678");

        assertThat(tree.valueOffset(node)).isEqualTo(before);
        assertThat(tree.copyValue(node)).isEqualTo(bytes("5678"));
    }

    @Test
    void shouldStoreValueAnewWhenPayloadLengthChanges()
    {
        final int node = set("a/b", "1234");
        final int before = tree.valueOffset(node);

        set("a/b", "12345");

        assertThat(tree.valueOffset(node)).isNotEqualTo(before);
        assertThat(tree.copyValue(node)).isEqualTo(bytes("12345"));
        assertThat(tree.valueLength(node)).isEqualTo(5);
        assertThat(tree.rowCount()).isEqualTo(1);
    }

    @Test
    void shouldCopyPayloadWhenCallerReusesItsBuffer()
    {
        final byte[] buffer = bytes("--value--");
        final byte[] topic = bytes("a");
        final int node = tree.set(topic, 0, topic.length, buffer, 2, 5);

        buffer[2] = 'X';

        assertThat(tree.copyValue(node)).isEqualTo(bytes("value"));
    }

    @Test
    void shouldDeleteRowWhenPayloadIsEmpty()
    {
        set("a/b", "1");
        final byte[] topic = bytes("a/b");

        final int node = tree.set(topic, 0, topic.length, new byte[0], 0, 0);

        assertThat(node).isEqualTo(RetainedTree.NO_NODE);
        assertThat(find("a/b")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(tree.rowCount()).isZero();
    }

    @Test
    void shouldCreateNothingWhenEmptyPayloadTargetsAbsentRow()
    {
        final byte[] topic = bytes("a/b");

        tree.set(topic, 0, topic.length, new byte[0], 0, 0);

        assertThat(tree.nodeCount()).isEqualTo(1);
        assertThat(levels.size()).isZero();
    }

    @Test
    void shouldReturnFalseWhenDeletingRowWithoutValue()
    {
        set("a/b", "1");

        assertThat(delete("a")).isFalse();
        assertThat(delete("a/c")).isFalse();
        assertThat(tree.delete(tree.root())).isFalse();
        assertThat(tree.rowCount()).isEqualTo(1);
    }

    @Test
    void shouldRecycleNodeIdsWhenRowsArePruned()
    {
        final int first = set("a", "1");
        delete("a");

        final int second = set("b", "1");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldReleaseAndRecycleLevelIdsWhenLastNodeUsingThemIsPruned()
    {
        final int node = set("gone", "1");
        final int levelId = tree.level(node);
        delete("gone");
        assertThat(levels.references(levelId)).isZero();

        final int replacement = set("new", "1");

        assertThat(tree.level(replacement)).isEqualTo(levelId);
        assertThat(levels.bytes(levelId)).isEqualTo(bytes("new"));
    }

    @Test
    void shouldHoldOneLevelReferencePerNodeWhenLevelIsShared()
    {
        set("x/x/x", "1");
        set("y/x", "1");

        assertThat(levels.references(levels.find(bytes("x"), 0, 1))).isEqualTo(4);
    }

    @Test
    void shouldBeEmptyWhenEveryRowIsDeleted()
    {
        final String[] topics = {"a", "a/b", "a/b/c", "a//c", "/a", "b/c", "$SYS/x"};
        for (final String topic : topics)
        {
            set(topic, topic);
        }
        for (final String topic : topics)
        {
            assertThat(delete(topic)).isTrue();
        }

        assertThat(tree.rowCount()).isZero();
        assertThat(tree.nodeCount()).isEqualTo(1);
        assertThat(levels.size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b/c", "a//b", "/a", "a/", "/", "//", "///x//", "ünï/cødé"})
    void shouldRoundTripTopicWhenWrittenBack(final String topic)
    {
        final int node = set(topic, "v");

        final byte[] dst = new byte[tree.topicLength(node) + 3];
        final int end = tree.writeTopic(node, dst, 3);

        assertThat(end).isEqualTo(dst.length);
        assertThat(new String(dst, 3, end - 3, StandardCharsets.UTF_8)).isEqualTo(topic);
        assertThat(find(topic)).isEqualTo(node);
    }

    @Test
    void shouldTellEmptyLevelsApartWhenTopicsDifferOnlyBySeparators()
    {
        set("a", "1");
        set("a/", "2");
        set("/a", "3");

        assertThat(tree.copyValue(find("a"))).isEqualTo(bytes("1"));
        assertThat(tree.copyValue(find("a/"))).isEqualTo(bytes("2"));
        assertThat(tree.copyValue(find("/a"))).isEqualTo(bytes("3"));
        assertThat(tree.rowCount()).isEqualTo(3);
    }

    @Test
    void shouldNotFindTopicWhenOnlyItsLevelsExistElsewhere()
    {
        set("a/b", "1");
        set("b/a", "1");

        assertThat(find("a/a")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(find("c")).isEqualTo(RetainedTree.NO_NODE);
        assertThat(find("a/b/c")).isEqualTo(RetainedTree.NO_NODE);
    }

    @Test
    void shouldKeepEveryRowWhenArraysGrow()
    {
        final int rows = 5_000;
        for (int i = 0; i < rows; i++)
        {
            set("dev" + (i % 50) + "/m" + i, Integer.toString(i));
        }

        assertThat(tree.rowCount()).isEqualTo(rows);
        assertThat(tree.nodeCount()).isEqualTo(1 + 50 + rows);
        for (int i = 0; i < rows; i++)
        {
            assertThat(tree.copyValue(find("dev" + (i % 50) + "/m" + i))).isEqualTo(bytes(Integer.toString(i)));
        }
    }

    @Test
    void shouldCountValuePagesWhenEstimatingFootprint()
    {
        final long empty = tree.footprintBytes();

        set("a", "12345678");
        final long onePage = tree.footprintBytes();
        set("b", "12345678");

        assertThat(onePage - empty).isEqualTo(16 + RetainedValues.PAGE_BYTES);
        assertThat(tree.footprintBytes()).isEqualTo(onePage);
    }

    @Test
    void shouldCountALargeValueOnItsOwnUntilItIsDeleted()
    {
        final long empty = tree.footprintBytes();

        set("big", "x".repeat(RetainedValues.LARGE_BYTES + 1));
        final long withLarge = tree.footprintBytes();
        delete("big");

        assertThat(withLarge - empty).isEqualTo((16 + RetainedValues.LARGE_BYTES + 1 + 7) & ~7);
        assertThat(tree.footprintBytes()).isEqualTo(empty);
    }

    private int set(final String topic, final String payload)
    {
        final byte[] topicBytes = bytes(topic);
        final byte[] payloadBytes = bytes(payload);
        return tree.set(topicBytes, 0, topicBytes.length, payloadBytes, 0, payloadBytes.length);
    }

    private boolean delete(final String topic)
    {
        final byte[] topicBytes = bytes(topic);
        return tree.delete(topicBytes, 0, topicBytes.length);
    }

    private int find(final String topic)
    {
        final byte[] topicBytes = bytes(topic);
        return tree.find(topicBytes, 0, topicBytes.length);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
