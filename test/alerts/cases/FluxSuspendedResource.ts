import { alertCases, release } from './context';

export default alertCases('FluxSuspendedResource', (c) => {
  const series = c.f.object(release, { ready: 'True', suspended: true }, '1x160');
  return [
    {
      name: 'suspended for 25h',
      evalTime: '25h',
      series,
      expected: [
        c.objectAlert(release, 'info', 'A Flux object has been suspended for more than 24 hours.',
          `${c.named(release)} has been suspended for more than 24 hours: drift from its source is not corrected.`),
      ],
    },
    { name: 'suspended for 23h', evalTime: '23h', series, expected: [] },
  ];
}, '10m');
