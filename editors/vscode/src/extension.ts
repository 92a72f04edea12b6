// Starts `cadence lsp` for .cadence files: diagnostics, hover, go to
// definition, references, rename, completion, symbols, quick fixes and
// semantic highlighting all come from the server.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration('cadence').get<string>('server.path', 'cadence');
  const serverOptions: ServerOptions = {
    run: { command, args: ['lsp'], transport: TransportKind.stdio },
    debug: { command, args: ['lsp', '--debounce', '50'], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'cadence' }],
    synchronize: {
      // The server re-reads cadence.toml; tell it when one changes.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{cadence.toml,*.cadence}'),
    },
  };
  client = new LanguageClient('cadence', 'Cadence', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
