/** Panels about what only the Flux Operator knows: the FluxInstance, the operator itself, ResourceSets. */
import type { Query } from '../queries/query';
import { readinessColours, tablePanel } from './common';

export const fluxInstances = (query: Query) =>
  tablePanel(
    {
      title: 'Flux instance',
      description:
        'The FluxInstance the operator reconciles: the Flux distribution version it installed (Revision) and the ' +
        'registry the controllers are pulled from (`flux_instance_info`).',
      titles: { revision: 'Flux version' },
      colouredColumns: readinessColours,
    },
    [query],
  );

export const operatorVersions = (query: Query) =>
  tablePanel(
    {
      title: 'Flux Operator',
      description: 'The Flux Operator version and the platform it runs on (`flux_operator_info`).',
      titles: { version: 'Operator version' },
    },
    [query],
  );

export const resourceSets = (query: Query) =>
  tablePanel(
    {
      title: 'ResourceSets',
      description:
        'Each ResourceSet: readiness, how many objects its inventory holds (Resources) and the revision it last ' +
        'applied (`flux_resourceset_info`).',
      sortBy: { column: 'Ready' },
      colouredColumns: readinessColours,
    },
    [query],
  );

export const resourceSetInputProviders = (query: Query) =>
  tablePanel(
    {
      title: 'ResourceSet input providers',
      description:
        'Each ResourceSetInputProvider: readiness and the URL it reads inputs from ' +
        '(`flux_resourcesetinputprovider_info`).',
      sortBy: { column: 'Ready' },
      colouredColumns: readinessColours,
    },
    [query],
  );

export const clusterResourceSets = (query: Query) =>
  tablePanel(
    {
      title: 'ResourceSets of this cluster',
      description:
        "The Flux Operator's ResourceSets in the object's cluster: readiness, inventory size (Resources) and the " +
        "revision each applied (`flux_resourceset_info`). The owner of an object created by a ResourceSet is among " +
        "them, but the operator's metrics do not say which: `kubectl get <kind> <name> -o yaml` shows it in the " +
        'labels `resourceset.fluxcd.controlplane.io/name` and `/namespace`.',
      sortBy: { column: 'Ready' },
      colouredColumns: readinessColours,
    },
    [query],
  );
