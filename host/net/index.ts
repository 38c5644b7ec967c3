/**
 * The host networking API, for `tsion net` (cli.ts) and for host/vm:
 *
 *   const model = loadNetworkModel({ config, vms: [name] });
 *   const { vms: [net] } = await setupNetworking(model, [name], { netns, stateDir });
 *   // net.tap, net.mac, net.queues, net.ip, net.gateway, net.cid, net.guest (NetworkConfig for tsion pack)
 *   ...run the VM...
 *   await teardownNetworking({ vms: [name] }, { netns, stateDir });
 *
 * `resolveVmNetworks` answers the same lookups without changing anything:
 * the recorded allocation when the VM has one, else the one setup would make.
 */
import { allocateVm, recordAllocation } from "./allocate.ts";
import { DEFAULT_VM, vmNetwork, type NetworkModel, type VmNetwork } from "./model.ts";
import { readNetworkState, type NetOptions } from "./setup.ts";

export { loadNetworkModel, type ModelInput } from "./config.ts";
export { buildModel, guestNetworkConfig, vmNetwork, ModelError, type NetworkModel, type NetworkSpec, type VmSpec, type VmNetwork, type Allocation } from "./model.ts";
export { setupNetworking, teardownNetworking, readNetworkState, NetFailure, NetUsageError, type NetOptions, type SetupResult, type TeardownResult, type Selection } from "./setup.ts";
export { runDoctor, formatDoctor, type DoctorReport, type Check } from "./doctor.ts";

/** Each VM's network (allocations from the state directory, else provisional). Read-only. */
export function resolveVmNetworks(model: NetworkModel, vms: string[] = [DEFAULT_VM], opts: NetOptions = {}): VmNetwork[] {
  const state = readNetworkState(opts);
  const book = structuredClone({ allocations: state.allocations, remembered: state.remembered });
  return vms.map((vm) => {
    const a = allocateVm(model, vm, book);
    recordAllocation(book, vm, a);
    return vmNetwork(model, vm, a);
  });
}
