package io.mote.persistence;

/** Something holding retained rows that can hand each one, once, to a {@link RowSink}. */
@FunctionalInterface
public interface RowSource
{
    void forEachRow(RowSink sink);
}
