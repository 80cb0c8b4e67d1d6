using System.Buffers.Binary;
using Npgsql;

namespace HealthDashboard.Data;

/// <summary>
/// Rows of whole numbers and booleans written in PostgreSQL's binary COPY format (the <c>COPY</c> reference's "Binary
/// Format": a signature and two zero words, then per row the field count and each field as its length and big-endian
/// bytes, -1 for NULL, and -1 to end) straight into Npgsql's raw COPY stream (<see cref="NpgsqlConnection.BeginRawBinaryCopy"/>),
/// for the importer's two big streams: the usage rows (<see cref="PostgresUsageCopy"/>) and the roll-up's groups.
/// </summary>
/// <remarks>
/// Why not Npgsql's <see cref="NpgsqlBinaryImporter"/>: its per-field <c>Write</c> binds a parameter and runs an async
/// state machine for every value, about 100 ns a field; a million usage rows are six million fields and the roll-up's
/// groups seven million more, so it took about 0.65 s of the writer thread's 1.4 s per import (a CPU profile of bench
/// part 3), CPU the 2-core machine's server needs. The fields here are fixed-width integers and booleans, whose binary
/// form is fixed by the protocol, and the transport, the COPY's start, end and cancellation stay Npgsql's.
/// </remarks>
public sealed class BinaryCopyRows : IAsyncDisposable
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // Large writes into the raw stream: fewer calls into Npgsql and fewer socket sends than its own 8 KB buffer.
    private readonly byte[] buffer = new byte[1 << 16];
    private readonly NpgsqlRawCopyStream stream;
    private int used;
    private bool completed;

    private BinaryCopyRows(NpgsqlRawCopyStream stream)
    {
        this.stream = stream;
        Header.CopyTo(this.buffer, 0);
        this.used = Header.Length;
    }

    /// <summary>Starts <paramref name="copySql"/> (a <c>COPY ... FROM STDIN (FORMAT BINARY)</c>) on <paramref name="connection"/>.</summary>
    public static async Task<BinaryCopyRows> BeginAsync(NpgsqlConnection connection, string copySql, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(copySql, cancellationToken));

    /// <summary>Starts a row of <paramref name="fields"/> fields (room for them is made here: at most 64 bytes a row).</summary>
    public void StartRow(short fields)
    {
        if (this.used > this.buffer.Length - 128)
        {
            this.stream.Write(this.buffer, 0, this.used);
            this.used = 0;
        }

        BinaryPrimitives.WriteInt16BigEndian(this.buffer.AsSpan(this.used), fields);
        this.used += 2;
    }

    public void Write(int value)
    {
        var span = this.buffer.AsSpan(this.used);
        BinaryPrimitives.WriteInt32BigEndian(span, sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
        this.used += 8;
    }

    public void Write(long value)
    {
        var span = this.buffer.AsSpan(this.used);
        BinaryPrimitives.WriteInt32BigEndian(span, sizeof(long));
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
        this.used += 12;
    }

    public void Write(bool value)
    {
        var span = this.buffer.AsSpan(this.used);
        BinaryPrimitives.WriteInt32BigEndian(span, 1);
        span[4] = value ? (byte)1 : (byte)0;
        this.used += 5;
    }

    public void WriteNull()
    {
        BinaryPrimitives.WriteInt32BigEndian(this.buffer.AsSpan(this.used), -1);
        this.used += 4;
    }

    /// <summary>Ends the COPY: the rows are in the transaction and the connection is free for other commands.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt16BigEndian(this.buffer.AsSpan(this.used), -1);
        this.used += 2;
        await this.stream.WriteAsync(this.buffer.AsMemory(0, this.used), cancellationToken);
        this.used = 0;
        this.completed = true;
        // Disposing the raw stream sends the end of the COPY and waits for the server's answer (its errors are thrown here).
        await this.stream.DisposeAsync();
    }

    /// <summary>Cancels the COPY if it was not completed (the transaction is then rolled back); nothing once it was.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!this.completed)
        {
            this.completed = true;
            try
            {
                await this.stream.CancelAsync();
            }
            catch (PostgresException)
            {
                // The server's "COPY cancelled" answer: expected.
            }

            await this.stream.DisposeAsync();
        }
    }
}
