using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AetherEdge.NanoCheck.Analyzer
{
    /// <summary>
    /// nanoFramework's published mscorlib declares <c>Action&lt;T&gt;</c>, <c>Func&lt;...&gt;</c> and
    /// <c>EventHandler&lt;TEventArgs&gt;</c>, but the 1.x runtime (CoreLibrary main) cannot load generic types or
    /// methods; generics live on preview branches only. Compiling against the real assembly therefore no longer
    /// rejects them by itself, so this analyzer does: any use of a generic type or method (NANO001) and any
    /// generic declaration of our own (NANO002) is an error in the nano checks.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NanoGenericsAnalyzer : DiagnosticAnalyzer
    {
        public const string UseId = "NANO001";
        public const string DeclarationId = "NANO002";

        private static readonly DiagnosticDescriptor s_use = new DiagnosticDescriptor(
            UseId,
            "Generic type or method used",
            "'{0}' is generic: nanoFramework 1.x cannot load generic types or methods",
            "Portability",
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        private static readonly DiagnosticDescriptor s_declaration = new DiagnosticDescriptor(
            DeclarationId,
            "Generic type or method declared",
            "'{0}' declares type parameters: nanoFramework 1.x cannot load generic types or methods",
            "Portability",
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(s_use, s_declaration);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(AnalyzeGenericName, SyntaxKind.GenericName);
            context.RegisterSyntaxNodeAction(AnalyzeInvocation, SyntaxKind.InvocationExpression);
            context.RegisterSyntaxNodeAction(AnalyzeTypeParameters, SyntaxKind.TypeParameterList);
        }

        private static void AnalyzeGenericName(SyntaxNodeAnalysisContext context)
        {
            // Names that do not resolve (List<int> without System.Collections.Generic) are already compiler errors.
            ISymbol? symbol = Resolve(context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken));
            if (IsGeneric(symbol))
            {
                context.ReportDiagnostic(Diagnostic.Create(s_use, context.Node.GetLocation(), symbol!.ToDisplayString()));
            }
        }

        private static void AnalyzeInvocation(SyntaxNodeAnalysisContext context)
        {
            // A generic method called with inferred type arguments has no GenericName in the source.
            var invocation = (InvocationExpressionSyntax)context.Node;
            if (Resolve(context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken)) is IMethodSymbol method
                && method.IsGenericMethod
                && !(NameOf(invocation.Expression) is GenericNameSyntax))
            {
                context.ReportDiagnostic(Diagnostic.Create(s_use, invocation.Expression.GetLocation(), method.ToDisplayString()));
            }
        }

        private static void AnalyzeTypeParameters(SyntaxNodeAnalysisContext context)
        {
            string owner = context.Node.Parent switch
            {
                BaseTypeDeclarationSyntax type => type.Identifier.Text,
                MethodDeclarationSyntax method => method.Identifier.Text,
                DelegateDeclarationSyntax del => del.Identifier.Text,
                LocalFunctionStatementSyntax local => local.Identifier.Text,
                _ => context.Node.Parent?.ToString() ?? "?",
            };
            context.ReportDiagnostic(Diagnostic.Create(s_declaration, context.Node.GetLocation(), owner));
        }

        private static ISymbol? Resolve(SymbolInfo info) =>
            info.Symbol ?? (info.CandidateSymbols.Length > 0 ? info.CandidateSymbols[0] : null);

        private static bool IsGeneric(ISymbol? symbol) =>
            symbol is INamedTypeSymbol { IsGenericType: true } || symbol is IMethodSymbol { IsGenericMethod: true };

        private static SimpleNameSyntax? NameOf(ExpressionSyntax expression) => expression switch
        {
            SimpleNameSyntax name => name,
            MemberAccessExpressionSyntax access => access.Name,
            MemberBindingExpressionSyntax binding => binding.Name,
            _ => null,
        };
    }
}
