namespace System.Reflection
{
    // nanoFramework.CoreLibrary/System/Reflection/DefaultMemberAttribute.cs
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface)]
    public sealed class DefaultMemberAttribute : Attribute
    {
        public DefaultMemberAttribute(string memberName) { }
        public string MemberName => throw null;
    }
}
