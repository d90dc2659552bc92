namespace System.IO
{
    // nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/IO/IOException.cs (mscorlib, not System.IO.Streams).
    public class IOException : SystemException
    {
        public enum IOExceptionErrorCode
        {
            Others = unchecked((int)0xE0000000),
            InvalidDriver = unchecked((int)0xE1000000),
            FileNotFound = unchecked((int)0xE2000000),
            DirectoryNotFound = unchecked((int)0xE3000000),
            VolumeNotFound = unchecked((int)0xE4000000),
            PathTooLong = unchecked((int)0xE5000000),
            DirectoryNotEmpty = unchecked((int)0xE6000000),
            UnauthorizedAccess = unchecked((int)0xE7000000),
            PathAlreadyExists = unchecked((int)0xE8000000),
            TooManyOpenHandles = unchecked((int)0xE9000000),
        }

        public IOException() { }
        public IOException(string message) { }
        public IOException(string message, int hresult) { }
        public IOException(string message, Exception innerException) { }
        public IOExceptionErrorCode ErrorCode => throw null;
    }
}
