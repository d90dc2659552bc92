using System;

namespace AetherEdge.Core.Erasure
{
    /// <summary>
    /// Systematic Reed-Solomon erasure code over GF(2^8): k data pieces plus m parity pieces, any k
    /// of the n = k + m rebuild the rest. The generator is [I; C] with C the m × k Cauchy matrix
    /// C[i][j] = 1 / ((k + i) XOR j); every square submatrix of a Cauchy matrix is invertible, so
    /// every k rows of the generator are too.
    /// A stripe lives in one buffer: piece i occupies [offset + i × pieceLength, + pieceLength),
    /// data pieces 0..k-1 first, then parity pieces k..n-1.
    /// Detecting corrupted pieces is not this code's job: callers hash pieces and mark bad ones absent.
    /// </summary>
    public sealed class ReedSolomon
    {
        /// <summary>Columns processed per pass so the inputs and outputs of one pass stay in cache.</summary>
        public const int BlockBytes = 8192;

        private readonly int _k;
        private readonly int _m;
        private readonly byte[] _parity;
        private readonly IGaloisKernel _kernel;
        private bool[]? _cachedPresent;
        private byte[]? _cachedInverse;
        private int[]? _cachedRows;

        /// <summary>Creates a code with k data and m parity shards (see <see cref="ErasureLimits"/>).</summary>
        public ReedSolomon(int dataShards, int parityShards)
            : this(dataShards, parityShards, TableGaloisKernel.Instance)
        {
        }

        /// <summary>Creates a code that runs its inner loop on <paramref name="kernel"/>.</summary>
        public ReedSolomon(int dataShards, int parityShards, IGaloisKernel kernel)
        {
            string? error = ErasureLimits.ValidationError(dataShards, parityShards);
            if (error != null)
            {
                throw new ErasureException(error);
            }

            _k = dataShards;
            _m = parityShards;
            _kernel = kernel;
            _parity = new byte[_m * _k];
            for (int i = 0; i < _m; i++)
            {
                for (int j = 0; j < _k; j++)
                {
                    _parity[i * _k + j] = GaloisField.Inverse((byte)((_k + i) ^ j));
                }
            }
        }

        /// <summary>k: pieces that carry the data unchanged.</summary>
        public int DataShards
        {
            get { return _k; }
        }

        /// <summary>m: parity pieces.</summary>
        public int ParityShards
        {
            get { return _m; }
        }

        /// <summary>n = k + m.</summary>
        public int TotalShards
        {
            get { return _k + _m; }
        }

        /// <summary>Coefficient of data piece <paramref name="column"/> in parity piece <paramref name="parityRow"/>.</summary>
        public byte ParityCoefficient(int parityRow, int column)
        {
            return _parity[parityRow * _k + column];
        }

        /// <summary>
        /// Computes the m parity pieces of a stripe from its k data pieces (all in <paramref name="stripe"/>,
        /// see the class summary for the layout).
        /// </summary>
        public void Encode(byte[] stripe, int offset, int pieceLength)
        {
            CheckStripe(stripe, offset, pieceLength);
            int[] inputs = new int[_k];
            for (int j = 0; j < _k; j++)
            {
                inputs[j] = j;
            }

            int[] outputs = new int[_m];
            for (int i = 0; i < _m; i++)
            {
                outputs[i] = _k + i;
            }

            MultiplyPieces(_parity, inputs, outputs, stripe, offset, pieceLength);
        }

        /// <summary>
        /// Rebuilds the absent pieces of a stripe in place from any k present ones. Parity pieces are
        /// rebuilt only when <paramref name="rebuildParity"/> is true (reading a file needs data only).
        /// Throws <see cref="ErasureException"/> naming present and needed counts when fewer than k are present.
        /// </summary>
        public void Reconstruct(byte[] stripe, int offset, int pieceLength, bool[] present, bool rebuildParity)
        {
            CheckStripe(stripe, offset, pieceLength);
            int n = _k + _m;
            if (present == null || present.Length != n)
            {
                throw new ErasureException("presence array must have " + n.ToString() + " entries");
            }

            int count = 0;
            for (int i = 0; i < n; i++)
            {
                if (present[i])
                {
                    count++;
                }
            }

            if (count < _k)
            {
                throw new ErasureException("only " + count.ToString() + " of " + n.ToString()
                    + " shards present; " + _k.ToString() + " needed to rebuild");
            }

            int missingData = 0;
            for (int j = 0; j < _k; j++)
            {
                if (!present[j])
                {
                    missingData++;
                }
            }

            if (missingData > 0)
            {
                byte[] inverse = DecodeMatrix(present);
                int[] rows = _cachedRows!;
                byte[] coefficients = new byte[missingData * _k];
                int[] outputs = new int[missingData];
                int o = 0;
                for (int j = 0; j < _k; j++)
                {
                    if (!present[j])
                    {
                        Array.Copy(inverse, j * _k, coefficients, o * _k, _k);
                        outputs[o] = j;
                        o++;
                    }
                }

                MultiplyPieces(coefficients, rows, outputs, stripe, offset, pieceLength);
            }

            if (rebuildParity)
            {
                RebuildParity(stripe, offset, pieceLength, present);
            }
        }

        private void RebuildParity(byte[] stripe, int offset, int pieceLength, bool[] present)
        {
            int missing = 0;
            for (int i = 0; i < _m; i++)
            {
                if (!present[_k + i])
                {
                    missing++;
                }
            }

            if (missing == 0)
            {
                return;
            }

            byte[] coefficients = new byte[missing * _k];
            int[] outputs = new int[missing];
            int[] inputs = new int[_k];
            for (int j = 0; j < _k; j++)
            {
                inputs[j] = j;
            }

            int o = 0;
            for (int i = 0; i < _m; i++)
            {
                if (!present[_k + i])
                {
                    Array.Copy(_parity, i * _k, coefficients, o * _k, _k);
                    outputs[o] = _k + i;
                    o++;
                }
            }

            MultiplyPieces(coefficients, inputs, outputs, stripe, offset, pieceLength);
        }

        /// <summary>Inverse of the generator rows of the first k present pieces; cached for the last pattern.</summary>
        private byte[] DecodeMatrix(bool[] present)
        {
            int n = _k + _m;
            if (_cachedPresent != null && _cachedInverse != null)
            {
                bool same = true;
                for (int i = 0; i < n && same; i++)
                {
                    same = _cachedPresent[i] == present[i];
                }

                if (same)
                {
                    return _cachedInverse;
                }
            }

            int[] rows = new int[_k];
            int r = 0;
            for (int i = 0; i < n && r < _k; i++)
            {
                if (present[i])
                {
                    rows[r++] = i;
                }
            }

            byte[] sub = new byte[_k * _k];
            for (int t = 0; t < _k; t++)
            {
                int row = rows[t];
                if (row < _k)
                {
                    sub[t * _k + row] = 1;
                }
                else
                {
                    Array.Copy(_parity, (row - _k) * _k, sub, t * _k, _k);
                }
            }

            byte[] inverse = GfMatrix.Invert(sub, _k);
            bool[] copy = new bool[n];
            Array.Copy(present, copy, n);
            _cachedPresent = copy;
            _cachedInverse = inverse;
            _cachedRows = rows;
            return inverse;
        }

        /// <summary>
        /// piece[outputs[o]] = Σ_t coefficients[o × k + t] × piece[inputs[t]], in column blocks.
        /// </summary>
        private void MultiplyPieces(byte[] coefficients, int[] inputs, int[] outputs, byte[] stripe, int offset, int pieceLength)
        {
            for (int start = 0; start < pieceLength; start += BlockBytes)
            {
                int len = pieceLength - start < BlockBytes ? pieceLength - start : BlockBytes;
                for (int o = 0; o < outputs.Length; o++)
                {
                    int outStart = offset + outputs[o] * pieceLength + start;
                    for (int t = 0; t < inputs.Length; t++)
                    {
                        int src = offset + inputs[t] * pieceLength + start;
                        _kernel.MultiplyAdd(coefficients[o * inputs.Length + t], stripe, src, stripe, outStart, len, t != 0);
                    }
                }
            }
        }

        private void CheckStripe(byte[] stripe, int offset, int pieceLength)
        {
            if (stripe == null || offset < 0 || pieceLength < 0
                || (long)offset + (long)pieceLength * (_k + _m) > stripe.Length)
            {
                throw new ErasureException("stripe buffer too small for " + (_k + _m).ToString()
                    + " pieces of " + pieceLength.ToString() + " bytes at offset " + offset.ToString());
            }
        }
    }
}
