using System;

namespace AetherEdge.Core.Erasure
{
    /// <summary>Square matrices over GF(2^8), row-major in a flat byte array.</summary>
    public static class GfMatrix
    {
        /// <summary>
        /// The inverse of the size × size matrix <paramref name="matrix"/> (left unchanged), by
        /// Gauss-Jordan elimination. Throws <see cref="ErasureException"/> when it is singular.
        /// </summary>
        public static byte[] Invert(byte[] matrix, int size)
        {
            if (matrix == null || size < 1 || matrix.Length != size * size)
            {
                throw new ErasureException("matrix must have size × size entries");
            }

            byte[] a = new byte[size * size];
            Array.Copy(matrix, a, a.Length);
            byte[] inv = new byte[size * size];
            for (int i = 0; i < size; i++)
            {
                inv[i * size + i] = 1;
            }

            for (int col = 0; col < size; col++)
            {
                int pivot = col;
                while (pivot < size && a[pivot * size + col] == 0)
                {
                    pivot++;
                }

                if (pivot == size)
                {
                    throw new ErasureException("matrix is singular (column " + col.ToString() + ")");
                }

                if (pivot != col)
                {
                    SwapRows(a, size, pivot, col);
                    SwapRows(inv, size, pivot, col);
                }

                byte scale = GaloisField.Inverse(a[col * size + col]);
                ScaleRow(a, size, col, scale);
                ScaleRow(inv, size, col, scale);
                for (int r = 0; r < size; r++)
                {
                    byte factor = a[r * size + col];
                    if (r != col && factor != 0)
                    {
                        AddScaledRow(a, size, col, r, factor);
                        AddScaledRow(inv, size, col, r, factor);
                    }
                }
            }

            return inv;
        }

        /// <summary>The product of an r × inner and an inner × c matrix.</summary>
        public static byte[] Multiply(byte[] left, int rows, int inner, byte[] right, int columns)
        {
            byte[] result = new byte[rows * columns];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    int sum = 0;
                    for (int i = 0; i < inner; i++)
                    {
                        sum ^= GaloisField.Multiply(left[r * inner + i], right[i * columns + c]);
                    }

                    result[r * columns + c] = (byte)sum;
                }
            }

            return result;
        }

        private static void SwapRows(byte[] m, int size, int a, int b)
        {
            for (int c = 0; c < size; c++)
            {
                byte t = m[a * size + c];
                m[a * size + c] = m[b * size + c];
                m[b * size + c] = t;
            }
        }

        private static void ScaleRow(byte[] m, int size, int row, byte factor)
        {
            for (int c = 0; c < size; c++)
            {
                m[row * size + c] = GaloisField.Multiply(m[row * size + c], factor);
            }
        }

        private static void AddScaledRow(byte[] m, int size, int from, int to, byte factor)
        {
            for (int c = 0; c < size; c++)
            {
                m[to * size + c] ^= GaloisField.Multiply(m[from * size + c], factor);
            }
        }
    }
}
