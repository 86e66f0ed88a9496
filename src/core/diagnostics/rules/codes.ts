/** Stable finding codes: never renumber, only add. */
export const Codes = {
  daemonJsonSyntax: 'DNE100',
  daemonJsonComment: 'DNE101',
  daemonJsonTrailingComma: 'DNE102',
  daemonJsonNotObject: 'DNE103',
  storeUrlInvalid: 'DNE110',
  storeOnLoopback: 'DNE111',
  advertiseWithoutStore: 'DNE112',
  storeWithoutAdvertise: 'DNE113',
  advertiseWithoutPort: 'DNE114',
  advertisePortNotListening: 'DNE115',
  flagAndFileConflict: 'DNE120',
  envFileNotRead: 'DNE130',
  envVariableNotExpanded: 'DNE131',
  tcpWithoutTlsVerify: 'DNE140',
  multipleExecStart: 'DNE150',
} as const;
