using AetherEdge.Core.Protocol;

namespace AetherEdge.HostNode.DBus
{
    /// <summary>Signature validation and splitting into single complete types.</summary>
    public static class DBusSignatures
    {
        private const string BasicCodes = "ybnqiuxtdsogh";

        public static bool IsBasic(char code) => BasicCodes.IndexOf(code) >= 0;

        /// <summary>Throws <see cref="ProtocolViolationException"/> unless the signature is a valid sequence of complete types.</summary>
        public static void Validate(string signature)
        {
            Split(signature);
        }

        /// <summary>Splits a signature into its single complete types, validating limits on the way.</summary>
        public static List<string> Split(string signature)
        {
            if (signature.Length > DBusLimits.MaxSignatureLength)
            {
                throw new ProtocolViolationException("signature is " + signature.Length + " characters, over the limit of " + DBusLimits.MaxSignatureLength);
            }

            var types = new List<string>();
            int pos = 0;
            while (pos < signature.Length)
            {
                int start = pos;
                ParseOne(signature, ref pos, 0, 0);
                types.Add(signature.Substring(start, pos - start));
            }

            return types;
        }

        /// <summary>Validates that the signature is exactly one complete type.</summary>
        public static void ValidateSingle(string signature)
        {
            List<string> types = Split(signature);
            if (types.Count != 1)
            {
                throw new ProtocolViolationException("variant signature '" + signature + "' is not a single complete type");
            }
        }

        private static void ParseOne(string sig, ref int pos, int arrayDepth, int structDepth)
        {
            if (pos >= sig.Length)
            {
                throw new ProtocolViolationException("signature '" + sig + "' ends inside a type");
            }

            char c = sig[pos];
            if (IsBasic(c) || c == 'v')
            {
                pos++;
                return;
            }

            if (c == 'a')
            {
                if (arrayDepth + 1 > DBusLimits.MaxArrayDepth)
                {
                    throw new ProtocolViolationException("signature '" + sig + "' nests arrays deeper than " + DBusLimits.MaxArrayDepth);
                }

                pos++;
                if (pos < sig.Length && sig[pos] == '{')
                {
                    if (structDepth + 1 > DBusLimits.MaxStructDepth)
                    {
                        throw new ProtocolViolationException("signature '" + sig + "' nests structs deeper than " + DBusLimits.MaxStructDepth);
                    }

                    pos++;
                    if (pos >= sig.Length || !IsBasic(sig[pos]))
                    {
                        throw new ProtocolViolationException("signature '" + sig + "' has a dict entry whose key is not a basic type");
                    }

                    pos++;
                    ParseOne(sig, ref pos, arrayDepth + 1, structDepth + 1);
                    if (pos >= sig.Length || sig[pos] != '}')
                    {
                        throw new ProtocolViolationException("signature '" + sig + "' has a dict entry without exactly two types");
                    }

                    pos++;
                    return;
                }

                ParseOne(sig, ref pos, arrayDepth + 1, structDepth);
                return;
            }

            if (c == '(')
            {
                if (structDepth + 1 > DBusLimits.MaxStructDepth)
                {
                    throw new ProtocolViolationException("signature '" + sig + "' nests structs deeper than " + DBusLimits.MaxStructDepth);
                }

                pos++;
                if (pos < sig.Length && sig[pos] == ')')
                {
                    throw new ProtocolViolationException("signature '" + sig + "' has an empty struct");
                }

                while (pos < sig.Length && sig[pos] != ')')
                {
                    ParseOne(sig, ref pos, arrayDepth, structDepth + 1);
                }

                if (pos >= sig.Length)
                {
                    throw new ProtocolViolationException("signature '" + sig + "' has an unclosed struct");
                }

                pos++;
                return;
            }

            throw new ProtocolViolationException("signature '" + sig + "' has an invalid type code '" + c + "' at " + pos);
        }

        /// <summary>Alignment of the first byte of a value of this type.</summary>
        public static int Alignment(char code) => code switch
        {
            'y' or 'g' or 'v' => 1,
            'n' or 'q' => 2,
            'b' or 'i' or 'u' or 'h' or 's' or 'o' or 'a' => 4,
            _ => 8,
        };
    }
}
