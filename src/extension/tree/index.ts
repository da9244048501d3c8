// The NCP PKI views (vscode-pull-request-github's treeNodes/ layout): one node class per file, each
// renders itself and loads its own children; the two providers share TreeProvider and stay thin.
export { CaNode } from './caNode';
export { CertListNode } from './certificatePages';
export { CmCertNode } from './certificateManager/cmCertNode';
export { CmProfileNode } from './certificateManager/cmProfileNode';
export { CmTree } from './certificateManager/cmTree';
export { CaFileNode, CertNode, LoadMoreNode } from './leafNodes';
export { ErrorNode, InfoNode, Node } from './node';
export { PkiTree } from './pkiTree';
export { ProfileNode } from './profileNode';
