/** One architecture of the model zoo: its example folder and where it comes from. */
export interface ZooEntry {
  /** Folder under examples/ (holding `<folder>.snn.json`). */
  readonly folder: string;
  readonly architecture: string;
  /** The paper the architecture (and the reported accuracy) comes from. */
  readonly paper: string;
  /** What the paper reports for this architecture (dataset, accuracy, T), or null where it reports none for this exact network. */
  readonly reported: string | null;
  /** Batch of the speed measurements (small for 224x224 inputs: 2 shared cores). */
  readonly batch: number;
}

/** Every architecture with an example model file, old (spiking ResNets of tdBN) and new (issue 21). */
export const ZOO: readonly ZooEntry[] = [
  { folder: 'mnist-tdbn', architecture: 'conv-tdBN-LIF CNN (2 conv, FC 256)', paper: 'Zheng et al., AAAI 2021 (tdBN)', reported: null, batch: 16 },
  { folder: 'nmnist-cnn', architecture: 'conv-tdBN-LIF CNN on events', paper: 'Zheng et al., AAAI 2021 (tdBN)', reported: null, batch: 16 },
  { folder: 'resnet17-dvsgesture', architecture: 'Spiking ResNet-17', paper: 'Zheng et al., AAAI 2021 (tdBN)', reported: 'DVS128 Gesture 96.87 % (T=40)', batch: 2 },
  { folder: 'resnet19-cifar10', architecture: 'Spiking ResNet-19', paper: 'Zheng et al., AAAI 2021 (tdBN)', reported: 'CIFAR-10 92.34 / 92.92 / 93.16 % (T=2 / 4 / 6)', batch: 4 },
  { folder: 'cifar10dvs-resnet19', architecture: 'Spiking ResNet-19 on events', paper: 'Zheng et al., AAAI 2021 (tdBN)', reported: 'CIFAR10-DVS 67.8 % (T=10)', batch: 2 },
  { folder: 'resnet34-imagenet', architecture: 'Spiking ResNet-34', paper: 'Zheng et al., AAAI 2021 (tdBN)', reported: 'ImageNet 63.72 % (T=6)', batch: 1 },
  { folder: 'resnet50-imagenet', architecture: 'Spiking ResNet-50 (bottleneck)', paper: 'Zheng et al., AAAI 2021 (tdBN); torchvision v1.5 layout', reported: null, batch: 1 },
  { folder: 'vgg11-cifar10', architecture: 'Spiking VGG-11', paper: 'Simonyan & Zisserman, ICLR 2015 (VGG-11, configuration A)', reported: null, batch: 8 },
  { folder: 'vgg16-cifar10', architecture: 'Spiking VGG-16', paper: 'Simonyan & Zisserman, ICLR 2015 (VGG-16, configuration D)', reported: null, batch: 8 },
  { folder: 'sew-resnet18-imagenet', architecture: 'SEW-ResNet-18 (ADD)', paper: 'Fang et al., NeurIPS 2021 (SEW-ResNet)', reported: 'ImageNet 63.18 % (T=4)', batch: 1 },
  { folder: 'sew-resnet34-imagenet', architecture: 'SEW-ResNet-34 (ADD)', paper: 'Fang et al., NeurIPS 2021 (SEW-ResNet)', reported: 'ImageNet 67.04 % (T=4)', batch: 1 },
  { folder: 'ms-resnet18-imagenet', architecture: 'MS-ResNet-18', paper: 'Hu et al., arXiv 2112.08954 (MS-ResNet)', reported: 'ImageNet 63.10 % (T=6)', batch: 1 },
  { folder: 'spikformer-cifar10', architecture: 'Spikformer-2-128', paper: 'Zhou et al., ICLR 2023 (Spikformer)', reported: 'none for 2-128 (Spikformer-4-384: CIFAR-10 95.19 %, T=4)', batch: 4 },
];
