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
  advertiseInterfaceMissing: 'DNE116',
  advertiseInterfaceWithoutIpv4: 'DNE117',
  advertiseAddressNotLocal: 'DNE118',
  advertiseUnderlayMtu: 'DNE119',
  flagAndFileConflict: 'DNE120',
  // DNE121–123: --cluster-store-opt (rules/storeOpts.ts).
  storeTlsIncomplete: 'DNE121',
  storeTlsFileUnusable: 'DNE122',
  discoveryTimersInvalid: 'DNE123',
  envFileNotRead: 'DNE130',
  envVariableNotExpanded: 'DNE131',
  /** The doctor itself failed on a host's files (a bug): said on each file instead of showing nothing. */
  checkFailed: 'DNE136',
  /** More findings in one file than are listed (limits.ts): one finding counts the rest. */
  findingsOmitted: 'DNE137',
  fileTooLarge: 'DNE138',
  /** (CLI) A file given that is of no kind the doctor checks: skipped, the run goes on. */
  fileNotChecked: 'DNE139',
  tcpWithoutTlsVerify: 'DNE140',
  multipleExecStart: 'DNE150',
  // DNE160–189: live checks (src/core/diagnostics/live): the running daemon, its store, several hosts;
  // DNE161 and DNE165 are file rules for the engine found live or given (--engine), DNE166 the upgrade check.
  daemonUnreachable: 'DNE160',
  clusterStoreRemoved: 'DNE161',
  swarmWithClusterStore: 'DNE162',
  runningStoreDiffers: 'DNE163',
  kernelTooOldForOverlay: 'DNE164',
  swarmMigration: 'DNE165',
  upgradeBreaks: 'DNE166',
  daemonUnexpectedAnswer: 'DNE167',
  /** One host lists none of the overlays its peers on the same store see: it cannot reach the store. */
  storeCutOff: 'DNE168',
  storeRefused: 'DNE170',
  storeTimeout: 'DNE171',
  storeUnreachable: 'DNE172',
  storeUnexpectedAnswer: 'DNE173',
  etcdNoV2Api: 'DNE174',
  etcdUnhealthy: 'DNE175',
  zookeeperNotServing: 'DNE176',
  consulNoLeader: 'DNE177',
  consulLoneServer: 'DNE178',
  consulAclDenied: 'DNE179',
  storeDiffersAcrossHosts: 'DNE180',
  advertiseNotUnique: 'DNE181',
  storeOnLoopbackMultiHost: 'DNE182',
  overlaySubnetOverlap: 'DNE183',
  nodeNameNotUnique: 'DNE184',
  engineIdNotUnique: 'DNE185',
  clockSkew: 'DNE186',
  etcdAdvertisesLoopback: 'DNE187',
  storeTlsRefused: 'DNE188',
  storeExpectsTls: 'DNE189',
  // DNE190–199: compose files that define the cluster store itself.
  composeSyntax: 'DNE190',
  composeConsulNoBootstrap: 'DNE191',
  composeConsulBootstrapExpect: 'DNE192',
  composeEtcdNoV2: 'DNE193',
  composeEtcdLoopback: 'DNE194',
  composeStorePortNotPublished: 'DNE195',
  composeZookeeperNoSrvr: 'DNE196',
  composeConsulClientLoopback: 'DNE197',
  composeEtcdAdvertiseLoopback: 'DNE198',
  // DNE200–209: networks against the host's own addresses.
  /** A network's subnet overlaps one of the host's own routes (VPN, LAN): it captures that traffic. */
  subnetShadowsRoute: 'DNE200',
  /** default-address-pools (or Docker's defaults) have fewer than 5 subnets left. */
  addressPoolsLow: 'DNE201',
  // DNE210–229: the swarm doctor (live/swarm*.ts): node and manager state, quorum, ports between nodes.
  /** The node's own swarm state is error or pending, or `docker info` carries a swarm error. */
  swarmNodeError: 'DNE210',
  /** The node is locked (autolock) after a restart: no swarm until `docker swarm unlock`. */
  swarmLocked: 'DNE211',
  /** A manager without quorum: Docker's "The swarm does not have a leader…". */
  swarmNoQuorum: 'DNE212',
  /** Managers reachable are exactly a majority (or there are 2): one more loss and quorum is gone. */
  swarmQuorumAtRisk: 'DNE213',
  /** A manager's `node ls` shows a node down (or unknown/disconnected). */
  swarmNodeDown: 'DNE214',
  /** A manager's `node ls` shows a manager unreachable. */
  swarmManagerUnreachable: 'DNE215',
  /** A swarm port (2377/tcp on managers, 7946/tcp) of a node does not accept connections from here. */
  swarmPortClosed: 'DNE216',
  /** Nothing of a node's advertise address answers from here: no route, or every packet dropped. */
  swarmAdvertiseUnreachable: 'DNE217',
  /** Information: what the swarm doctor measured between nodes, and what it could not. */
  swarmPortsNotChecked: 'DNE218',
  /** Information: an encrypted overlay needs ESP (IP protocol 50) between its nodes. */
  swarmEncryptedNeedsEsp: 'DNE219',
  /** A swarm TCP port one node cannot open on another, though this machine (or another node) can: measured from the node (opt-in). */
  swarmPortClosedBetweenNodes: 'DNE220',
  // DNE240–249: containers on swarm overlays (live/swarmContainers.ts).
  /** A container left down: its start failed with "could not find a network matching network mode" (a swarm overlay). */
  swarmNetworkModeNotFound: 'DNE240',
  /** Two containers of one name on a swarm overlay: its DNS answers either. */
  swarmNameClash: 'DNE241',
} as const;
