"""hotline.node"""
